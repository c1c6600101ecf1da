namespace Devana.Infrastructure.Identity;

/// <summary>Names shared by the authorization server, the login page and the API.</summary>
public static class DevanaAuthentication
{
    /// <summary>The cookie scheme of the login page; the API itself only accepts bearer tokens.</summary>
    public const string LoginScheme = "Devana.Login";

    public const string LoginPath = "/account/login";

    /// <summary>The audience of every access token, checked by the API's token validation.</summary>
    public const string ApiAudience = "devana-api";

    /// <summary>The first-party public client for front-end apps (authorization code + PKCE).</summary>
    public const string WebClientId = "devana-web";
}
