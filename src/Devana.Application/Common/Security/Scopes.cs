namespace Devana.Application.Common.Security;

/// <summary>The API scopes of CONTRACT.md §7.</summary>
public static class Scopes
{
    public const string Completions = "completions";
    public const string Agents = "agents";
    public const string Files = "files";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Completions, Agents, Files, Admin];
}
