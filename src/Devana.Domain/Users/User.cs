using Devana.Domain.Common;
using Devana.Domain.Users.Rules;

namespace Devana.Domain.Users;

/// <summary>
/// A person who signs in on the login page (authorization code + PKCE). The password itself never
/// reaches the domain: Infrastructure hashes it (ASP.NET Core Identity's <c>PasswordHasher</c>) and the
/// user keeps the hash. The user owns its lockout state: failed sign-ins count up to the
/// <see cref="LockoutPolicy"/>, then the account is locked for a while.
/// </summary>
public sealed class User : Entity
{
    public const int EmailMaxLength = 256;
    public const int NameMaxLength = 200;

    private User()
    {
    }

    public string Id { get; private set; } = null!;

    public string WorkspaceId { get; private set; } = null!;

    /// <summary>As the user wrote it (trimmed); <see cref="NormalizedEmail"/> is what sign-in matches.</summary>
    public string Email { get; private set; } = null!;

    public string NormalizedEmail { get; private set; } = null!;

    public string? Name { get; private set; }

    public UserRole Role { get; private set; }

    public string? PasswordHash { get; private set; }

    public int AccessFailedCount { get; private set; }

    public DateTimeOffset? LockoutEnd { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public bool IsWorkspaceAdmin => Role is UserRole.Owner or UserRole.Admin;

    public static User Register(string workspaceId, string email, string? name, UserRole role, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentNullException.ThrowIfNull(email);
        var trimmedEmail = email.Trim();
        var trimmedName = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        CheckRule(new UserEmailMustBeValidRule(trimmedEmail));
        CheckRule(new UserNameMustNotBeTooLongRule(trimmedName));
        CheckRule(new UserRoleMustBeDefinedRule(role));
        return new User
        {
            Id = PrefixedId.New(IdPrefixes.User),
            WorkspaceId = workspaceId,
            Email = trimmedEmail,
            NormalizedEmail = NormalizeEmail(trimmedEmail),
            Name = trimmedName,
            Role = role,
            CreatedAt = now,
        };
    }

    /// <summary>
    /// A user added by a workspace admin (<c>POST /v1/users</c>): as <see cref="Register"/>, and only an
    /// owner (or the workspace's machine admin) may add another owner.
    /// </summary>
    public static User AddToWorkspace(string workspaceId, string email, string? name, UserRole role, bool addedByOwner, DateTimeOffset now)
    {
        CheckRule(new OnlyOwnersMayAppointOwnersRule(role, addedByOwner));
        return Register(workspaceId, email, name, role, now);
    }

    /// <summary>The form sign-in and uniqueness compare: trimmed, lower case (invariant).</summary>
    public static string NormalizeEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    public void SetPasswordHash(string passwordHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        PasswordHash = passwordHash;
    }

    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;

    /// <summary>Counts a wrong password; reaching the policy's limit locks the account and restarts the count.</summary>
    public void RecordFailedSignIn(DateTimeOffset now, LockoutPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (IsLockedOut(now))
        {
            return;
        }

        AccessFailedCount++;
        if (AccessFailedCount >= policy.MaxFailedAttempts)
        {
            LockoutEnd = now + policy.Duration;
            AccessFailedCount = 0;
        }
    }

    public void RecordSuccessfulSignIn()
    {
        AccessFailedCount = 0;
        LockoutEnd = null;
    }
}
