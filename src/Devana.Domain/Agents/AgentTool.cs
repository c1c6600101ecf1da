namespace Devana.Domain.Agents;

/// <summary>
/// A tool that Devana runs for the agent (docs/tools.md): an HTTP endpoint the LLM may call. The
/// arguments the LLM writes go as the query (<see cref="AgentToolMethod.Get"/>) or as a JSON body
/// (<see cref="AgentToolMethod.Post"/>).
/// </summary>
/// <param name="Name">What the LLM calls it: <c>[a-z0-9_-]{1,64}</c>, unique in the agent.</param>
/// <param name="Description">What the tool does, for the LLM.</param>
/// <param name="Parameters">The JSON schema of the arguments, as JSON text.</param>
/// <param name="Url">An http(s) URL on a host <c>Devana:Tools:AllowedHosts</c> allows.</param>
/// <param name="Method">How the arguments are sent.</param>
/// <param name="Headers">Header names and their values <b>protected</b> (encrypted by the Application): never shown.</param>
/// <param name="TimeoutSeconds">1 to <see cref="MaxTimeoutSeconds"/>.</param>
/// <param name="RequiresConfirmation">Whether a call waits for the caller's approval.</param>
public sealed record AgentTool(
    string Name,
    string Description,
    string Parameters,
    string Url,
    AgentToolMethod Method,
    IReadOnlyDictionary<string, string> Headers,
    int TimeoutSeconds,
    bool RequiresConfirmation)
{
    public const int DefaultTimeoutSeconds = 30;
    public const int MaxTimeoutSeconds = 300;

    /// <summary>Value equality, headers compared by content.</summary>
    public bool Equals(AgentTool? other) =>
        other is not null
        && Name == other.Name && Description == other.Description && Parameters == other.Parameters && Url == other.Url
        && Method == other.Method && TimeoutSeconds == other.TimeoutSeconds && RequiresConfirmation == other.RequiresConfirmation
        && Headers.Count == other.Headers.Count
        && Headers.All(h => other.Headers.TryGetValue(h.Key, out var value) && value == h.Value);

    public override int GetHashCode() => HashCode.Combine(Name, Url, Method, Headers.Count);
}

public enum AgentToolMethod
{
    Get,
    Post,
}
