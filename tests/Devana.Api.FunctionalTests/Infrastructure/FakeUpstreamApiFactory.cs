using Devana.Api.FunctionalTests.Completions;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>
/// A <see cref="DevanaApiFactory"/> whose LLM providers are served by a <see cref="FakeOpenAiUpstream"/>: the
/// upstream starts before the host (the settings need its address) and stops after it.
/// </summary>
public abstract class FakeUpstreamApiFactory : DevanaApiFactory
{
    public FakeOpenAiUpstream Upstream { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Upstream = await FakeOpenAiUpstream.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
