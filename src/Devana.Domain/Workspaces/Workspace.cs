using Devana.Domain.Common;
using Devana.Domain.Workspaces.Rules;

namespace Devana.Domain.Workspaces;

/// <summary>
/// The tenant: every user, client and resource lives in exactly one workspace, and nothing of one
/// workspace is visible from another. <see cref="Name"/> is the logical name (<c>default</c>) used by
/// configuration and the login page.
/// </summary>
public sealed class Workspace : Entity
{
    public const int NameMaxLength = 64;

    private Workspace()
    {
    }

    public string Id { get; private set; } = null!;

    public string Name { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    public static Workspace Create(string name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(name);
        CheckRule(new WorkspaceNameMustBeASlugRule(name));
        return new Workspace
        {
            Id = PrefixedId.New(IdPrefixes.Workspace),
            Name = name,
            CreatedAt = now,
        };
    }
}
