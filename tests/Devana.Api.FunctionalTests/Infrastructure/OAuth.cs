using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>What <c>/connect/token</c> (or another OAuth endpoint) answered, success or RFC 6749 error.</summary>
public sealed record TokenResponse(HttpStatusCode Status, JsonElement Body)
{
    public string? AccessToken => String("access_token");

    public string? RefreshToken => String("refresh_token");

    public string? IdToken => String("id_token");

    public string? Error => String("error");

    public long? ExpiresIn => Body.TryGetProperty("expires_in", out var value) ? value.GetInt64() : null;

    public string? String(string name) => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The access token, asserting the request succeeded.</summary>
    public string RequireAccessToken()
    {
        Status.Should().Be(HttpStatusCode.OK, Body.ToString());
        AccessToken.Should().NotBeNullOrEmpty();
        return AccessToken!;
    }
}

/// <summary>Form-encoded requests to the OAuth endpoints, as an OAuth client library would send them.</summary>
public static class OAuth
{
    public static async Task<TokenResponse> PostFormAsync(HttpClient client, string path, IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
        return new TokenResponse(response.StatusCode, document.RootElement.Clone());
    }

    public static Task<TokenResponse> ClientCredentialsAsync(HttpClient client, string clientId, string clientSecret, string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return PostFormAsync(client, "/connect/token", form);
    }

    public static Task<TokenResponse> RefreshAsync(HttpClient client, string clientId, string refreshToken) =>
        PostFormAsync(client, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = clientId,
            ["refresh_token"] = refreshToken,
        });

    public static Task<TokenResponse> IntrospectAsync(HttpClient client, string clientId, string clientSecret, string token) =>
        PostFormAsync(client, "/connect/introspect", new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["token"] = token,
        });

    public static Task<TokenResponse> RevokeAsync(HttpClient client, string clientId, string? clientSecret, string token)
    {
        var form = new Dictionary<string, string> { ["client_id"] = clientId, ["token"] = token };
        if (clientSecret is not null)
        {
            form["client_secret"] = clientSecret;
        }

        return PostFormAsync(client, "/connect/revoke", form);
    }

    /// <summary>The claims of a JWT's payload (access tokens are signed, not encrypted).</summary>
    public static JsonElement ReadJwtPayload(string jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
        return document.RootElement.Clone();
    }
}

/// <summary>A PKCE pair (RFC 7636, S256).</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce Create()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
