namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>How a fake upstream ends a streamed answer.</summary>
public enum StreamEnding
{
    /// <summary>Finish reason, usage and the protocol's end marker.</summary>
    Complete,

    /// <summary>The connection is cut right after the pieces.</summary>
    Cut,

    /// <summary>Nothing more is sent and the connection stays open.</summary>
    Stall,
}
