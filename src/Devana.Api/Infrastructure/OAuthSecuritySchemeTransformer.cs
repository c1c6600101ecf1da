using Devana.Api.Auth;
using Devana.Application.Common.Security;
using Devana.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenIddict.Server;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Puts Devana's OAuth 2.0 server in the OpenAPI document, so that <c>/docs</c> can get a token: one
/// security scheme (<see cref="SchemeName"/>) with the client-credentials flow and the authorization-code
/// flow with PKCE (S256, <c>x-usePkce</c> as Scalar reads it) against this host's own token and authorize
/// endpoints, and on every operation the scope its policy needs (docs/api.md, "Scopes").
/// </summary>
/// <remarks>
/// The endpoints' URLs are absolute: under <c>Devana:Identity:Issuer</c> when it is set (the public URL
/// behind a proxy), else under the scheme, host and path base of the request that asked for the document.
/// Their paths are OpenIddict's own settings, so the document cannot point anywhere else.
/// </remarks>
public sealed class OAuthSecuritySchemeTransformer(
    IHttpContextAccessor http,
    IdentitySettings identity,
    IOptionsMonitor<OpenIddictServerOptions> server) : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "oauth2";

    /// <summary>What each API scope opens, as the document (and the Authorize dialog) shows it.</summary>
    public static readonly IReadOnlyDictionary<string, string> ApiScopes = new Dictionary<string, string>
    {
        [Scopes.Completions] = "Completions (/completions, /v1/chat/completions), your conversations, your usage, /v1/models and /v1/llms.",
        [Scopes.Agents] = "The workspace's agents (/v1/agents), /v1/models and /v1/llms.",
        [Scopes.Files] = "Your files (/v1/files).",
        [Scopes.Admin] = "Clients, users, quotas and the usage report; the principal must also be a workspace admin (role owner or admin, or a client granted admin).",
    };

    private static readonly IReadOnlyDictionary<string, string> s_userScopes = new Dictionary<string, string>
    {
        ["openid"] = "OpenID Connect sign-in (an id_token).",
        ["profile"] = "The user's name on /connect/userinfo.",
        ["email"] = "The user's email on /connect/userinfo.",
        ["offline_access"] = "A refresh token.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var options = server.CurrentValue;
        var tokenUrl = Absolute(options.TokenEndpointUris.FirstOrDefault(), "connect/token");
        var authorizeUrl = Absolute(options.AuthorizationEndpointUris.FirstOrDefault(), "connect/authorize");

        var pkce = new OpenApiOAuthFlow
        {
            AuthorizationUrl = authorizeUrl,
            TokenUrl = tokenUrl,
            RefreshUrl = tokenUrl,
            Scopes = new Dictionary<string, string>(ApiScopes.Concat(s_userScopes)),
        };
        // Scalar's name for "send an S256 code challenge"; Devana refuses a code request without one.
        pkce.Extensions = new Dictionary<string, IOpenApiExtension> { ["x-usePkce"] = new JsonNodeExtension("SHA-256") };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "Devana's own OAuth 2.0 server (OpenIddict). Machines: client credentials (client id and secret). "
                + "Browser apps and people: authorization code with PKCE (S256). Send the access token as "
                + "'Authorization: Bearer <token>'. See docs/identity.md.",
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = tokenUrl,
                    Scopes = new Dictionary<string, string>(ApiScopes),
                },
                AuthorizationCode = pkce,
            },
        };
        return Task.CompletedTask;
    }

    /// <summary>Any one of the scopes the action's policy accepts (several requirements are alternatives).</summary>
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
            .Select(data => data.Policy)
            .OfType<string>()
            .Where(Policies.All.Contains)
            .ToList();
        if (policies.Count == 0)
        {
            return Task.CompletedTask;
        }

        var scheme = new OpenApiSecuritySchemeReference(SchemeName, context.Document);
        operation.Security = policies
            .SelectMany(Policies.AnyScopeOf)
            .Distinct(StringComparer.Ordinal)
            .Select(scope => new OpenApiSecurityRequirement { [scheme] = [scope] })
            .ToList();
        return Task.CompletedTask;
    }

    private Uri Absolute(Uri? endpoint, string fallback)
    {
        var path = endpoint is null ? fallback : endpoint.IsAbsoluteUri ? endpoint.AbsolutePath : endpoint.OriginalString;
        return new Uri(new Uri(BaseUrl()), path.TrimStart('/'));
    }

    private string BaseUrl()
    {
        if (identity.Issuer is { } issuer)
        {
            return issuer.AbsoluteUri;
        }

        var request = http.HttpContext?.Request;
        return request is null ? "http://localhost/" : $"{request.Scheme}://{request.Host}{request.PathBase}/";
    }
}
