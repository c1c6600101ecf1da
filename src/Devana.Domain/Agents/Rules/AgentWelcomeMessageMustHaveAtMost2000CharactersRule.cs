using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

public sealed class AgentWelcomeMessageMustHaveAtMost2000CharactersRule(string? welcomeMessage) : IBusinessRule
{
    public const int MaxLength = 2_000;

    public bool IsBroken() => welcomeMessage?.Length > MaxLength;

    public string Message => $"welcome_message must be at most {MaxLength} characters (it has {welcomeMessage?.Length}).";

    public string? Param => "welcome_message";
}
