namespace Devana.Api.Auth;

/// <summary>
/// The authorization policies of the API (<c>[Authorize(Policy = ScopePolicies.Agents)]</c>), registered
/// by <see cref="AuthorizationSetup.AddApiAuthorization"/>. Each one needs an authenticated caller whose
/// token carries the scope(s) named; a token without them is 403 <c>insufficient_scope</c>.
/// </summary>
public static class ScopePolicies
{
    /// <summary>Scope <c>agents</c>: <c>/v1/agents</c>.</summary>
    public const string Agents = "agents";

    /// <summary>Scope <c>completions</c>: completions, conversations, own usage.</summary>
    public const string Completions = "completions";

    /// <summary>Scope <c>files</c>: <c>/v1/files</c>.</summary>
    public const string Files = "files";

    /// <summary>Scope <c>admin</c>. Whether the principal administers its workspace is the endpoint's own check.</summary>
    public const string Admin = "admin";

    /// <summary>Scope <c>completions</c> or <c>agents</c>: <c>/v1/models</c> and <c>/v1/llms</c>.</summary>
    public const string Models = "models";
}
