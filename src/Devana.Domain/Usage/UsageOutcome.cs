namespace Devana.Domain.Usage;

/// <summary>How a completion ended, as the usage ledger records it.</summary>
public enum UsageOutcome
{
    /// <summary>Every choice was answered.</summary>
    Completed,

    /// <summary>The LLM call failed (upstream error, timeout, server error).</summary>
    Failed,

    /// <summary>The caller went away before the answer was whole.</summary>
    Cancelled,
}
