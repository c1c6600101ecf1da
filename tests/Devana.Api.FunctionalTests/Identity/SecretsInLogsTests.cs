using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>A host that logs everything, at every level, from every source, into <see cref="Events"/>.</summary>
public sealed class VerboseLogFactory : DevanaApiFactory, ILogEventSink
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();

    public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Serilog:MinimumLevel:Default"] = "Verbose";
        foreach (var source in new[] { "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "OpenIddict", "System", "System.Net.Http.HttpClient" })
        {
            settings[$"Serilog:MinimumLevel:Override:{source}"] = "Verbose";
        }

        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(this));
    }
}

/// <summary>
/// No secret, code, verifier or token reaches a log at any level: a full OAuth session — the login form,
/// the authorization code with PKCE (and the console's callback URL carrying the code), its redemption,
/// a refresh, introspection, revocation, client credentials and API calls with the tokens — is run on a
/// host logging everything at Verbose, and every captured line, property and exception is searched for each.
/// </summary>
public sealed class SecretsInLogsTests(VerboseLogFactory factory) : IClassFixture<VerboseLogFactory>
{
    [Fact]
    public async Task FullOAuthSession_LoggedAtVerbose_LeaksNoSecret()
    {
        var user = await factory.SeedUserAsync(role: "admin");
        var client = await factory.SeedClientAsync(user.WorkspaceName, ["completions", "agents"]);
        using var browser = new BrowserSession(factory);
        var pkce = Pkce.Create();

        var callback = await browser.AuthorizeAsync(BrowserSession.AuthorizeUrl(BrowserSession.WebClientId, BrowserSession.WebRedirectUri, BrowserSession.DefaultScope, pkce.Challenge), user.WorkspaceName, user.Email, user.Password);
        var code = BrowserSession.QueryOf(callback, "code")!;
        // The console's own callback page is served by Devana: its URL carries the code.
        (await browser.GetAsync($"/app/callback?code={Uri.EscapeDataString(code)}&state=xyz")).StatusCode.Should().Be(HttpStatusCode.OK);
        var tokens = await browser.RedeemAsync(code, pkce.Verifier);
        var refreshed = await OAuth.RefreshAsync(browser.Client, BrowserSession.WebClientId, tokens.RefreshToken!);
        var machine = await OAuth.ClientCredentialsAsync(browser.Client, client.ClientId, client.Secret!, "completions agents");
        using (var api = factory.CreateBearerClient(refreshed.RequireAccessToken()))
        {
            (await api.GetAsync("/v1/models")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await api.GetAsync("/connect/userinfo")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var api = factory.CreateBearerClient(machine.RequireAccessToken()))
        {
            (await api.GetAsync("/v1/agents")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await OAuth.IntrospectAsync(browser.Client, client.ClientId, client.Secret!, machine.RequireAccessToken())).Error.Should().BeNull();
        (await OAuth.RevokeAsync(browser.Client, BrowserSession.WebClientId, null, refreshed.RefreshToken!)).Error.Should().BeNull();
        // A replayed (already used) refresh token and a wrong secret are logged as failures: still without the values.
        (await OAuth.RefreshAsync(browser.Client, BrowserSession.WebClientId, tokens.RefreshToken!)).Error.Should().NotBeNull();
        (await OAuth.ClientCredentialsAsync(browser.Client, client.ClientId, client.Secret! + "x")).Error.Should().Be("invalid_client");

        var secrets = new Dictionary<string, string>
        {
            ["password"] = user.Password,
            ["authorization code"] = code,
            ["code_verifier"] = pkce.Verifier,
            ["access token"] = tokens.RequireAccessToken(),
            ["refresh token"] = tokens.RefreshToken!,
            ["id token"] = tokens.IdToken!,
            ["refreshed access token"] = refreshed.RequireAccessToken(),
            ["refreshed refresh token"] = refreshed.RefreshToken!,
            ["client secret"] = client.Secret!,
            ["machine access token"] = machine.RequireAccessToken(),
        };
        var lines = factory.Events.Select(Describe).ToList();

        lines.Should().Contain(line => line.Contains("OpenIddict", StringComparison.Ordinal), "the protocol's own logging is captured, at Verbose");
        lines.Should().Contain(line => line.Contains(SecretScrubbingEnricher.Redacted, StringComparison.Ordinal), "what OpenIddict would have logged was scrubbed");
        foreach (var (name, secret) in secrets)
        {
            lines.Where(line => line.Contains(secret, StringComparison.Ordinal)).Should().BeEmpty($"the {name} must not be logged ({lines.Count} lines captured)");
        }
    }

    /// <summary>Everything a sink could write: level, source, rendered message, every property, the exception.</summary>
    private static string Describe(LogEvent logEvent)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.Write($"{logEvent.Level} ");
        logEvent.RenderMessage(writer, CultureInfo.InvariantCulture);
        foreach (var (name, value) in logEvent.Properties)
        {
            writer.Write($" {name}=");
            value.Render(writer, null, CultureInfo.InvariantCulture);
        }

        writer.Write(logEvent.Exception?.ToString());
        return writer.ToString();
    }
}
