using System.Diagnostics;
using System.Diagnostics.Metrics;
using Devana.Application.Files.Common;
using Devana.Domain.Conversations;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;

namespace Devana.Application.Common.Telemetry;

/// <summary>
/// Devana's own instruments, all on the <see cref="MeterName"/> meter (docs/observability.md lists them
/// with their Prometheus names). Every method is a no-op costing a flag check when nothing listens, so
/// callers record unconditionally. Label values are ids and fixed words, never message text.
/// </summary>
public sealed class DevanaMetrics
{
    public const string MeterName = "Devana";

    /// <summary>Seconds: from a tenth of a second (a local model's first token) to a minute (a cold, queued upstream).</summary>
    private static readonly IReadOnlyList<double> s_secondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

    private readonly Counter<long> _completions;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly UpDownCounter<long> _activeStreams;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _quotaRefusals;
    private readonly Counter<long> _fileExtractions;
    private readonly Histogram<double> _fileExtractionDuration;
    private readonly Counter<long> _upstreamRetries;

    public DevanaMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _completions = meter.CreateCounter<long>(
            "devana.completions", "{completion}", "Completions that reached the LLM, by agent, LLM, outcome and whether they were streamed.");
        _timeToFirstToken = meter.CreateHistogram(
            "devana.completion.time_to_first_token", "s", "From the LLM call to the first token handed to the caller (the whole answer when not streamed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_secondsBuckets });
        _activeStreams = meter.CreateUpDownCounter<long>(
            "devana.streams.active", "{stream}", "Completion streams open right now.");
        _tokens = meter.CreateCounter<long>(
            "devana.tokens", "{token}", "Tokens of completions, by principal, agent, LLM and type (input or output); the figures the quotas count.");
        _quotaRefusals = meter.CreateCounter<long>(
            "devana.quota.refusals", "{request}", "Completions refused by a quota, by the level and the limit that refused them.");
        _fileExtractions = meter.CreateCounter<long>(
            "devana.file.extractions", "{file}", "Uploaded files whose text was extracted, by format and outcome.");
        _fileExtractionDuration = meter.CreateHistogram(
            "devana.file.extraction.duration", "s", "Time to extract the text of an uploaded file, by format and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_secondsBuckets });
        _upstreamRetries = meter.CreateCounter<long>(
            "devana.upstream.retries", "{retry}", "Upstream LLM requests sent again after a transient failure, by provider and reason.");
    }

    /// <summary>A completion that called the LLM has ended; its tokens (what the ledger records) are counted too.</summary>
    public void CompletionEnded(string agent, string llm, string principal, bool stream, UsageOutcome outcome, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (_completions.Enabled)
        {
            _completions.Add(1, new TagList
            {
                { "agent", agent },
                { "llm", llm },
                { "status", StatusOf(outcome) },
                { "stream", stream ? "true" : "false" },
            });
        }

        if (_tokens.Enabled)
        {
            AddTokens(usage.PromptTokens, "input", agent, llm, principal);
            AddTokens(usage.CompletionTokens, "output", agent, llm, principal);
        }
    }

    /// <summary>The first token of an answer reached the caller <paramref name="elapsed"/> after the LLM was called.</summary>
    public void FirstToken(string agent, string llm, bool stream, TimeSpan elapsed)
    {
        if (_timeToFirstToken.Enabled)
        {
            _timeToFirstToken.Record(elapsed.TotalSeconds, new TagList { { "agent", agent }, { "llm", llm }, { "stream", stream ? "true" : "false" } });
        }
    }

    /// <summary>A stream opened; dispose the result when it closes, whatever the outcome.</summary>
    public ActiveStream StreamOpened(string agent, string llm)
    {
        var tags = new TagList { { "agent", agent }, { "llm", llm } };
        _activeStreams.Add(1, tags);
        return new ActiveStream(_activeStreams, tags);
    }

    public void QuotaRefused(QuotaBreach breach)
    {
        ArgumentNullException.ThrowIfNull(breach);
        if (_quotaRefusals.Enabled)
        {
            _quotaRefusals.Add(1, new TagList { { "level", LevelOf(breach.Charge.Level) }, { "limit", breach.Charge.Kind.WireName() } });
        }
    }

    public void FileExtracted(FileFormat format, bool succeeded, TimeSpan elapsed)
    {
        var tags = new TagList { { "format", FormatOf(format) }, { "status", succeeded ? "ok" : "failed" } };
        _fileExtractions.Add(1, tags);
        _fileExtractionDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>An upstream request is about to be sent again; <paramref name="reason"/> is the HTTP status, or <c>connection</c>.</summary>
    public void UpstreamRetried(string provider, string reason) =>
        _upstreamRetries.Add(1, new TagList { { "provider", provider }, { "reason", reason } });

    private void AddTokens(int count, string type, string agent, string llm, string principal)
    {
        if (count > 0)
        {
            _tokens.Add(count, new TagList { { "principal", principal }, { "agent", agent }, { "llm", llm }, { "type", type } });
        }
    }

    private static string StatusOf(UsageOutcome outcome) => outcome switch
    {
        UsageOutcome.Completed => "completed",
        UsageOutcome.Failed => "failed",
        _ => "cancelled",
    };

    private static string LevelOf(QuotaLevel level) => level switch
    {
        QuotaLevel.Workspace => "workspace",
        QuotaLevel.Principal => "principal",
        _ => "agent",
    };

    private static string FormatOf(FileFormat format) => format switch
    {
        FileFormat.PlainText => "text",
        FileFormat.Markdown => "markdown",
        FileFormat.Csv => "csv",
        FileFormat.Json => "json",
        FileFormat.Xml => "xml",
        FileFormat.Html => "html",
        FileFormat.Pdf => "pdf",
        _ => "docx",
    };

    /// <summary>Takes an open stream off <c>devana.streams.active</c> once, however often it is disposed.</summary>
    public sealed class ActiveStream : IDisposable
    {
        private readonly UpDownCounter<long> _counter;
        private readonly TagList _tags;
        private int _closed;

        internal ActiveStream(UpDownCounter<long> counter, TagList tags) => (_counter, _tags) = (counter, tags);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                _counter.Add(-1, _tags);
            }
        }
    }
}
