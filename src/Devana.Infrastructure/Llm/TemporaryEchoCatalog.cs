using Devana.Application.Llm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Devana.Infrastructure.Llm;

/// <summary>
/// TEMPORARY, branch <c>agents</c> only: a one-model catalog (<c>echo</c>) so that the host starts (DI
/// validates every handler's dependencies in Development) before the real, configured catalog of the
/// <c>llm</c> branch is merged. Delete this file and its one call in <c>DependencyInjection</c> at merge.
/// </summary>
internal sealed class TemporaryEchoCatalog : ILlmCatalog
{
    private static readonly LlmModel s_echo = new("echo", "echo", LlmProviderType.Echo, "echo", 8192, 1024);

    public IReadOnlyList<LlmModel> Models { get; } = [s_echo];

    public string DefaultModelId => s_echo.Id;

    public LlmModel? Find(string id) => id == s_echo.Id ? s_echo : null;
}

internal static class TemporaryEchoCatalogSetup
{
    /// <summary>Registers <see cref="TemporaryEchoCatalog"/> only if no catalog is registered yet.</summary>
    public static IServiceCollection AddTemporaryEchoCatalog(this IServiceCollection services)
    {
        services.TryAddSingleton<ILlmCatalog, TemporaryEchoCatalog>();
        return services;
    }
}
