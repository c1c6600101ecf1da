using Devana.Application.Users.Common;
using Devana.Domain.Users;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.Identity;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

public sealed record SignInAttempt(SignInOutcome Outcome, User? User, DateTimeOffset? LockedUntil);

/// <summary>
/// Checks a user's workspace, email and password for the login page, counting failures towards the
/// lockout. Unknown accounts cost the same hashing time as wrong passwords, and both get the same
/// answer, so the page does not tell which emails exist.
/// </summary>
public sealed partial class UserSignInService(
    DevanaDbContext db,
    IUserPasswordHasher hasher,
    IdentitySettings settings,
    TimeProvider time,
    ILogger<UserSignInService> logger)
{
    private static readonly User s_nobody = User.Register("ws_none", "nobody@devana.invalid", null, UserRole.Member, DateTimeOffset.UnixEpoch);

    public async Task<SignInAttempt> PasswordSignInAsync(string? workspace, string? email, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(workspace) || string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return new SignInAttempt(SignInOutcome.Failed, null, null);
        }

        var workspaceName = workspace.Trim().ToLowerInvariant();
        var normalizedEmail = User.NormalizeEmail(email);
        var user = await (
            from candidate in db.Users
            join owner in db.Workspaces on candidate.WorkspaceId equals owner.Id
            where owner.Name == workspaceName && candidate.NormalizedEmail == normalizedEmail
            select candidate).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            _ = hasher.Hash(s_nobody, password);
            return new SignInAttempt(SignInOutcome.Failed, null, null);
        }

        var now = time.GetUtcNow();
        if (user.IsLockedOut(now))
        {
            return new SignInAttempt(SignInOutcome.LockedOut, null, user.LockoutEnd);
        }

        var check = hasher.Verify(user, password);
        if (check == PasswordCheck.Failed)
        {
            user.RecordFailedSignIn(now, settings.Lockout);
            await db.SaveChangesAsync(cancellationToken);
            if (user.IsLockedOut(now))
            {
                LogLockedOut(user.Id, user.LockoutEnd);
                return new SignInAttempt(SignInOutcome.LockedOut, null, user.LockoutEnd);
            }

            return new SignInAttempt(SignInOutcome.Failed, null, null);
        }

        if (check == PasswordCheck.SucceededRehashNeeded)
        {
            user.SetPasswordHash(hasher.Hash(user, password));
        }

        user.RecordSuccessfulSignIn();
        await db.SaveChangesAsync(cancellationToken);
        return new SignInAttempt(SignInOutcome.Succeeded, user, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} is locked out until {LockoutEnd} after repeated failed sign-ins")]
    private partial void LogLockedOut(string userId, DateTimeOffset? lockoutEnd);
}
