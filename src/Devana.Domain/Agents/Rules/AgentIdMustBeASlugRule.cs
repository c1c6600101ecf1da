using System.Text.RegularExpressions;
using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>
/// A chosen agent id is a slug: <c>[a-z0-9][a-z0-9._-]{0,63}</c> (docs/api.md#agents). Server-made ids
/// (<c>agt_</c> and 24 base-36 characters, <see cref="PrefixedId"/>) fit the same pattern; uniqueness in the workspace, not the
/// shape, keeps the two apart.
/// </summary>
public sealed partial class AgentIdMustBeASlugRule(string? id) : IBusinessRule
{
    public const string Pattern = "^[a-z0-9][a-z0-9._-]{0,63}$";

    public bool IsBroken() => id is null || !SlugRegex().IsMatch(id);

    public string Message => $"id '{id}' is not a valid agent id: use 1 to 64 characters among lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.";

    public string? Param => "id";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SlugRegex();
}
