using Devana.Domain.Common;

namespace Devana.Domain.Clients.Rules;

public sealed class OnlyConfidentialClientsHaveASecretRule(ClientType type) : IBusinessRule
{
    public bool IsBroken() => type != ClientType.Confidential;

    public string Message => "A public client has no secret to rotate.";
}
