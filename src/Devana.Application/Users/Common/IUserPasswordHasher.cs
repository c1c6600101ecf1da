using Devana.Domain.Users;

namespace Devana.Application.Users.Common;

/// <summary>Hashes and checks user passwords (Infrastructure: ASP.NET Core Identity's <c>PasswordHasher</c>).</summary>
public interface IUserPasswordHasher
{
    string Hash(User user, string password);

    PasswordCheck Verify(User user, string password);
}

public enum PasswordCheck
{
    Failed,
    Succeeded,

    /// <summary>Right password, hashed with older parameters: hash it again.</summary>
    SucceededRehashNeeded,
}
