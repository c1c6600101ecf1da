using System.Text.RegularExpressions;
using Devana.Domain.Common;

namespace Devana.Domain.Workspaces.Rules;

/// <summary>A workspace name is a lowercase slug: it appears in configuration and on the login page.</summary>
public sealed partial class WorkspaceNameMustBeASlugRule(string name) : IBusinessRule
{
    public bool IsBroken() => !Slug().IsMatch(name);

    public string Message => $"A workspace name is 1 to {Workspace.NameMaxLength} characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit.";

    public string? Param => "name";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();
}
