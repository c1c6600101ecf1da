namespace Devana.Application.Users.Common;

/// <summary>What a user password must be: long enough to resist guessing (NIST SP 800-63B favours length over character classes).</summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    public static bool IsAcceptable(string? password) => password is { Length: >= MinLength and <= MaxLength };

    public static string Requirement => $"password must be {MinLength} to {MaxLength} characters.";
}
