using Devana.Domain.Common;

namespace Devana.Domain.Users.Rules;

/// <summary>One <c>@</c> with something on both sides and a dot in the domain; no spaces; at most 256 characters.</summary>
public sealed class UserEmailMustBeValidRule(string email) : IBusinessRule
{
    public bool IsBroken()
    {
        if (string.IsNullOrEmpty(email) || email.Length > User.EmailMaxLength || email.Any(char.IsWhiteSpace))
        {
            return true;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return true;
        }

        var domain = email[(at + 1)..];
        return !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.');
    }

    public string Message => $"email must be a valid email address of at most {User.EmailMaxLength} characters.";

    public string? Param => "email";
}
