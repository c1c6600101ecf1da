using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Devana.Application.Common.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>
/// Callers for functional tests. This branch has no token server yet: a TEST authentication scheme,
/// registered over the app's services, maps opaque bearer tokens to the <see cref="DevanaClaimTypes"/>
/// claims. The identity branch replaces this file with real OpenIddict tokens; tests use only
/// <see cref="CreateUserAsync"/>, <see cref="CreateMachineClientAsync"/> and <see cref="TestCaller.Client"/>.
/// </summary>
public partial class DevanaApiFactory
{
    private const string TestScheme = "DevanaTest";
    private readonly TestTokens _tokens = new();

    /// <summary>A user of <paramref name="workspace"/>; <paramref name="scopes"/> null means every API scope its role may have.</summary>
    public Task<TestCaller> CreateUserAsync(string workspace = "default", string role = "member", IReadOnlyList<string>? scopes = null)
    {
        var granted = scopes ?? (role is "owner" or "admin" ? Scopes.All : Scopes.All.Where(s => s != Scopes.Admin).ToList());
        return Task.FromResult(Issue(workspace, $"usr_{Guid.NewGuid():N}", "user", role, granted));
    }

    /// <summary>A machine client (client credentials) of <paramref name="workspace"/>; <paramref name="scopes"/> null means completions, agents and files.</summary>
    public Task<TestCaller> CreateMachineClientAsync(string workspace = "default", IReadOnlyList<string>? scopes = null) =>
        Task.FromResult(Issue(workspace, $"cli_{Guid.NewGuid():N}", "client", null, scopes ?? [Scopes.Completions, Scopes.Agents, Scopes.Files]));

    protected override IHost CreateHost(IHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(_tokens);
            services.AddAuthentication(TestScheme).AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestScheme, null);
        });
        return base.CreateHost(builder);
    }

    private TestCaller Issue(string workspace, string principalId, string kind, string? role, IReadOnlyList<string> scopes)
    {
        var workspaceId = $"ws_{workspace}";
        var claims = new List<Claim>
        {
            new(DevanaClaimTypes.Subject, principalId),
            new(DevanaClaimTypes.WorkspaceId, workspaceId),
            new(DevanaClaimTypes.PrincipalKind, kind),
            new(DevanaClaimTypes.Scope, string.Join(' ', scopes)),
        };
        if (role is not null)
        {
            claims.Add(new Claim(DevanaClaimTypes.Role, role));
        }

        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        _tokens.Claims[token] = claims;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TestCaller(workspaceId, principalId, client);
    }

    private sealed class TestTokens
    {
        public ConcurrentDictionary<string, IReadOnlyList<Claim>> Claims { get; } = new(StringComparer.Ordinal);
    }

    private sealed class TestAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TestTokens tokens)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            if (!tokens.Claims.TryGetValue(header["Bearer ".Length..].Trim(), out var claims))
            {
                return Task.FromResult(AuthenticateResult.Fail("Unknown test token."));
            }

            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, TestScheme, DevanaClaimTypes.Subject, DevanaClaimTypes.Role));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, TestScheme)));
        }
    }
}
