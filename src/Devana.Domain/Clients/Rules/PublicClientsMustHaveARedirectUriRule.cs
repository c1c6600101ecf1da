using Devana.Domain.Common;

namespace Devana.Domain.Clients.Rules;

/// <summary>A public client can only use the authorization code flow, which needs somewhere to send the code.</summary>
public sealed class PublicClientsMustHaveARedirectUriRule(ClientType type, IReadOnlyCollection<string> redirectUris) : IBusinessRule
{
    public bool IsBroken() => type == ClientType.Public && redirectUris.Count == 0;

    public string Message => "A public client needs at least one redirect URI (it can only use the authorization code flow).";

    public string? Param => "redirect_uris";
}
