namespace Devana.Domain.Users;

/// <summary>
/// How many failed sign-ins in a row lock an account, and for how long. The defaults are ASP.NET Core
/// Identity's (<c>LockoutOptions</c>): 5 attempts, 5 minutes.
/// </summary>
public sealed record LockoutPolicy(int MaxFailedAttempts, TimeSpan Duration)
{
    public static LockoutPolicy Default { get; } = new(5, TimeSpan.FromMinutes(5));
}
