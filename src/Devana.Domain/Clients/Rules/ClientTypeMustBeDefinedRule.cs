using Devana.Domain.Common;

namespace Devana.Domain.Clients.Rules;

public sealed class ClientTypeMustBeDefinedRule(ClientType type) : IBusinessRule
{
    public bool IsBroken() => !Enum.IsDefined(type);

    public string Message => "type must be confidential or public.";

    public string? Param => "type";
}
