namespace Devana.Domain.Users;

/// <summary>A user's role in its workspace. Owners and admins administer the workspace.</summary>
public enum UserRole
{
    Owner,
    Admin,
    Member,
}
