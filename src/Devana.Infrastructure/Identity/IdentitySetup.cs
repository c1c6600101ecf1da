using Devana.Application.Clients.Common;
using Devana.Application.Users.Common;
using Devana.Domain.Users;
using Devana.Infrastructure.Configuration;
using Devana.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;
using ApiScopes = Devana.Application.Common.Security.Scopes;
using CodeChallengeMethods = OpenIddict.Abstractions.OpenIddictConstants.CodeChallengeMethods;
using OidcScopes = OpenIddict.Abstractions.OpenIddictConstants.Scopes;

namespace Devana.Infrastructure.Identity;

/// <summary>The OpenIddict server and validation in the same host , the login cookie and Data Protection.</summary>
public static class IdentitySetup
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(14);

    public static IServiceCollection AddIdentityServer(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var isDevelopment = environment.IsDevelopment();
        var settings = IdentitySettings.FromConfiguration(configuration, isDevelopment);
        var (signing, encryption) = IdentityCertificates.Load(settings, isDevelopment);
        services.AddSingleton(settings);

        // Cookies and antiforgery tokens must stay readable by every instance and across restarts.
        services.AddDataProtection()
            .SetApplicationName("Devana")
            .PersistKeysToDbContext<DevanaDbContext>();

        services.AddAuthentication(options =>
            {
                // The API authenticates bearer tokens only; the login page names its cookie scheme explicitly.
                options.DefaultScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
            })
            .AddCookie(DevanaAuthentication.LoginScheme, cookie =>
            {
                cookie.LoginPath = DevanaAuthentication.LoginPath;
                cookie.Cookie.Name = "devana.login";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
            });

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<DevanaDbContext>();
                // devana-web also accepts the console's callback on this instance's own origins (WebAppOrigins).
                core.ReplaceApplicationManager(typeof(DevanaApplicationManager<>));
            })
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetEndSessionEndpointUris("connect/logout");

                if (settings.Issuer is not null)
                {
                    // Every instance issues and accepts tokens for the one public URL (behind a load balancer,
                    // a token from one instance is valid on all); unset, each request's own host is the issuer.
                    server.SetIssuer(settings.Issuer);
                }

                server.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow();
                // Every client, confidential or public, must send a code challenge, and only S256
                // (OpenIddict also accepts "plain" unless told otherwise).
                server.RequireProofKeyForCodeExchange();
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                server.RegisterScopes([OidcScopes.OpenId, OidcScopes.Profile, OidcScopes.Email, OidcScopes.OfflineAccess, .. ApiScopes.All]);

                server.SetAccessTokenLifetime(AccessTokenLifetime)
                    .SetRefreshTokenLifetime(RefreshTokenLifetime)
                    // Rotation is strict: a refresh token works once, and replaying it revokes the chain.
                    .SetRefreshTokenReuseLeeway(null);

                server.AddSigningCertificate(signing).AddEncryptionCertificate(encryption);
                // Access tokens are signed JWTs, not encrypted: they carry no secret, and any resource
                // server (or a developer with jwt.io) can read them. Codes and refresh tokens stay encrypted.
                server.DisableAccessTokenEncryption();

                // An API call leaves the server's pipeline before it compares the request with every endpoint.
                server.AddEventHandler(ServerEndpointFilter.Descriptor);

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (settings.AllowInsecureHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
                validation.AddAudiences(DevanaAuthentication.ApiAudience);
                // Every API call checks the token's database entry (and its authorization's), so that
                // revocation and client deletion take effect: at once for a change made by this instance,
                // within Devana:Identity:TokenEntryCacheSeconds for one made by another (TokenEntryCache).
                validation.EnableTokenEntryValidation();
                validation.EnableAuthorizationEntryValidation();
                TokenEntryCacheHandlers.Register(validation);
                // A JWT is not looked up as a reference token (nor is a token manager built to do so).
                ReferenceTokenLookup.Register(validation);
                // A token's signature is verified once per cache lifetime, not on every call (VerifiedTokenCache).
                VerifiedTokenCacheHandlers.Register(validation);
            });

        services.AddValidatedOptions<TokenEntryCacheOptions, TokenEntryCacheOptionsValidator>(TokenEntryCacheOptions.Section);
        services.AddSingleton(provider => new TokenEntryCache(
            provider.GetRequiredService<IOptions<TokenEntryCacheOptions>>().Value.TokenEntryCacheLifetime, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IInterceptor, TokenEntryCacheInvalidator>();
        services.AddSingleton(provider => new VerifiedTokenCache(
            provider.GetRequiredService<IOptions<TokenEntryCacheOptions>>().Value.TokenEntryCacheLifetime, provider.GetRequiredService<TimeProvider>()));

        // Read now: whether the pruning service exists at all depends on it.
        var pruning = configuration.GetValidated<TokenPruningOptions, TokenPruningOptionsValidator>(TokenPruningOptions.Section).ToSettings();
        services.AddSingleton(pruning);
        if (pruning.Enabled)
        {
            services.AddSingleton<TokenPruningService>();
            services.AddHostedService(provider => provider.GetRequiredService<TokenPruningService>());
        }

        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<IUserPasswordHasher, IdentityPasswordHasher>();
        services.AddScoped<IOAuthApplicationRegistry, OpenIddictApplicationRegistry>();
        services.AddScoped<UserSignInService>();
        services.AddScoped<PrincipalDirectory>();
        services.AddScoped<IdentityBootstrapper>();
        services.AddSingleton<WebAppOrigins>();
        return services;
    }
}
