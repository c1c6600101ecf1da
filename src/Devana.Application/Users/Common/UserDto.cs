using Devana.Domain.Users;

namespace Devana.Application.Users.Common;

/// <summary>A user as the admin API shows it: never a password hash or lockout state.</summary>
public sealed record UserDto
{
    public string Id { get; init; } = string.Empty;

    public string Object => "user";

    public string Email { get; init; } = string.Empty;

    public string? Name { get; init; }

    public UserRole Role { get; init; }

    public long CreatedAt { get; init; }
}
