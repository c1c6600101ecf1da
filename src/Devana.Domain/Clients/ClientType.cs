namespace Devana.Domain.Clients;

/// <summary>
/// OAuth 2.0 client types (RFC 6749 §2.1): a confidential client holds a secret (machines, backends:
/// client credentials); a public client cannot (browser and mobile apps: authorization code + PKCE).
/// </summary>
public enum ClientType
{
    Confidential,
    Public,
}
