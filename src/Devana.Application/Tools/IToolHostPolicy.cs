namespace Devana.Application.Tools;

/// <summary>
/// <c>Devana:Tools:AllowedHosts</c> (docs/tools.md): which URLs a tool may be at. Checked when an agent is
/// written and again, with the addresses the host name resolves to, when a tool is called.
/// </summary>
public interface IToolHostPolicy
{
    /// <summary>Why <paramref name="url"/> may not be a tool's URL, or null when it may.</summary>
    string? RefusalFor(Uri url);
}
