using Devana.Domain.Common;

namespace Devana.Domain.Clients.Rules;

public sealed class ClientNameMustBeValidRule(string name) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(name) || name.Length > ApiClient.NameMaxLength;

    public string Message => $"name must be 1 to {ApiClient.NameMaxLength} characters.";

    public string? Param => "name";
}
