using System.Collections.Concurrent;

namespace Devana.Application.Tools;

/// <summary>
/// What happened to each tool call Devana ran during one completion, by call id: whether it succeeded and
/// how long it took. The streamed progress chunks (<c>devana.tool_call</c>) are written from it.
/// </summary>
public sealed class ToolRunLog
{
    private readonly ConcurrentDictionary<string, ToolRun> _runs = new(StringComparer.Ordinal);

    public void Record(string callId, ToolRun run) => _runs[callId] = run;

    public ToolRun? Find(string callId) => _runs.TryGetValue(callId, out var run) ? run : null;
}

public sealed record ToolRun(bool Succeeded, TimeSpan Duration);
