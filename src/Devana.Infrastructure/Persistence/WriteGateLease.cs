namespace Devana.Infrastructure.Persistence;

/// <summary>Holds a write gate of <see cref="SqliteDevanaDbContext"/> until disposed; the default holds none.</summary>
internal readonly struct WriteGateLease(SemaphoreSlim? gate) : IDisposable
{
    public void Dispose() => gate?.Release();
}
