using Devana.Domain.Common;

namespace Devana.Domain.Clients.Rules;

/// <summary>The first-party front-end client is owned by configuration (<c>Devana:Bootstrap</c>), not by the API.</summary>
public sealed class FirstPartyClientsCannotBeDeletedRule(bool isFirstParty) : IBusinessRule
{
    public bool IsBroken() => isFirstParty;

    public string Message => "This is Devana's first-party client; it is managed through configuration and cannot be deleted.";

    public RuleViolationKind Kind => RuleViolationKind.AccessDenied;
}
