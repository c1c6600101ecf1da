using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Devana.Application.Common.Security;
using Devana.Domain.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>
/// How tests get callers. THIS FILE IS THE BRANCH'S STAND-IN FOR IDENTITY: it registers a test
/// authentication scheme that reads <c>Authorization: Bearer test.&lt;base64url JSON&gt;</c> and issues
/// the <see cref="DevanaClaimTypes"/> claims; identity replaces the file with one that issues real
/// OpenIddict tokens. Tests use only <see cref="CreateUserAsync"/>, <see cref="CreateMachineClientAsync"/>
/// and <see cref="TestCaller.Client"/> (or the bearer token that client sends), never the scheme.
/// </summary>
public partial class DevanaApiFactory
{
    private readonly ConcurrentDictionary<string, string> _workspaceIds = new(StringComparer.Ordinal);

    /// <param name="workspace">A logical name: each distinct name is a distinct workspace.</param>
    /// <param name="role"><c>owner</c>, <c>admin</c> or <c>member</c>.</param>
    /// <param name="scopes">Null: all four API scopes.</param>
    public Task<TestCaller> CreateUserAsync(string workspace = "default", string role = "member", IReadOnlyList<string>? scopes = null) =>
        Task.FromResult(CreateCaller(workspace, PrefixedId.New(IdPrefixes.User), "user", role, scopes));

    /// <param name="workspace">A logical name: each distinct name is a distinct workspace.</param>
    /// <param name="scopes">Null: all four API scopes (a client with <c>admin</c> administers its workspace).</param>
    public Task<TestCaller> CreateMachineClientAsync(string workspace = "default", IReadOnlyList<string>? scopes = null) =>
        Task.FromResult(CreateCaller(workspace, PrefixedId.New(IdPrefixes.Client), "client", null, scopes));

    partial void ConfigureAuthentication(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services
            .AddAuthentication(TestTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestTokenHandler>(TestTokenHandler.SchemeName, _ => { }));

    private TestCaller CreateCaller(string workspace, string principalId, string kind, string? role, IReadOnlyList<string>? scopes)
    {
        var workspaceId = _workspaceIds.GetOrAdd(workspace, _ => PrefixedId.New(IdPrefixes.Workspace));
        var token = TestTokenHandler.Issue(new TestToken(principalId, workspaceId, kind, role, string.Join(' ', scopes ?? Scopes.All)));
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TestCaller(workspaceId, principalId, client);
    }

    private sealed record TestToken(string Sub, string WorkspaceId, string Kind, string? Role, string Scope);

    private sealed class TestTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "DevanaTest";
        private const string Prefix = "test.";

        public static string Issue(TestToken token) =>
            Prefix + Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(token)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (string.IsNullOrEmpty(header))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
            var parsed = token is not null && token.StartsWith(Prefix, StringComparison.Ordinal) ? Parse(token[Prefix.Length..]) : null;
            if (parsed is null)
            {
                return Task.FromResult(AuthenticateResult.Fail("Not a test token."));
            }

            var claims = new List<Claim>
            {
                new(DevanaClaimTypes.Subject, parsed.Sub),
                new(DevanaClaimTypes.WorkspaceId, parsed.WorkspaceId),
                new(DevanaClaimTypes.PrincipalKind, parsed.Kind),
                new(DevanaClaimTypes.Scope, parsed.Scope),
            };
            if (parsed.Role is not null)
            {
                claims.Add(new Claim(DevanaClaimTypes.Role, parsed.Role));
            }

            var identity = new ClaimsIdentity(claims, SchemeName, DevanaClaimTypes.Subject, DevanaClaimTypes.Role);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }

        private static TestToken? Parse(string encoded)
        {
            try
            {
                var base64 = encoded.Replace('-', '+').Replace('_', '/');
                base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
                return JsonSerializer.Deserialize<TestToken>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
            }
            catch (Exception exception) when (exception is FormatException or JsonException)
            {
                return null;
            }
        }
    }
}
