namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>How a fake upstream ends a streamed answer.</summary>
public enum StreamEnding
{
    /// <summary>Finish reason, usage and the protocol's end marker.</summary>
    Complete,

    /// <summary>The connection is cut right after the pieces (once the test calls <see cref="FakeUpstream.Cut"/>).</summary>
    Cut,

    /// <summary>Nothing more is sent and the connection stays open.</summary>
    Stall,

    /// <summary>The provider's documented in-stream error after the pieces (the status was already 200).</summary>
    Error,
}
