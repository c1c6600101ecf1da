using Devana.Application.Users.Common;
using Devana.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace Devana.Infrastructure.Identity;

/// <summary>ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2, versioned hashes) over Devana's own <see cref="User"/>.</summary>
internal sealed class IdentityPasswordHasher(IPasswordHasher<User> hasher) : IUserPasswordHasher
{
    public string Hash(User user, string password) => hasher.HashPassword(user, password);

    public PasswordCheck Verify(User user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(user.PasswordHash))
        {
            return PasswordCheck.Failed;
        }

        return hasher.VerifyHashedPassword(user, user.PasswordHash, password) switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Succeeded,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.SucceededRehashNeeded,
            _ => PasswordCheck.Failed,
        };
    }
}
