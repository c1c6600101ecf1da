namespace Devana.Api.Auth;

/// <summary>Authorization policy names: one per API scope (CONTRACT.md §7), plus <see cref="Models"/>.</summary>
public static class ScopePolicies
{
    public const string Completions = "completions";
    public const string Agents = "agents";
    public const string Files = "files";
    public const string Admin = "admin";

    /// <summary><c>/v1/models</c> and <c>/v1/llms</c>: a token with <c>completions</c> or <c>agents</c>.</summary>
    public const string Models = "models";
}
