namespace Devana.Application.Common.Security;

/// <summary>The API scopes (docs/api.md#authentication-and-scopes).</summary>
public static class Scopes
{
    public const string Completions = "completions";
    public const string Agents = "agents";
    public const string Files = "files";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Completions, Agents, Files, Admin];
}
