using Microsoft.Extensions.Hosting;

namespace Devana.Infrastructure.Llm.Tokenization;

/// <summary>
/// Starts loading the token-counting vocabulary when the host starts, beside the rest of start-up, instead of in
/// the first completion, whose caller otherwise waited about half a second for it (docs/performance.md,
/// "thirteenth session").
/// The host does not wait for it: a completion that comes first waits for the same load.
/// </summary>
internal sealed class TokenizerPreload : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = TiktokenTokenCounter.Preload();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
