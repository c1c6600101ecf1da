using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Identity;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>A host over a data directory (database and keys) it may share, with or without <c>Devana:Identity:Issuer</c>.</summary>
public sealed class IssuerHostFactory(string dataDirectory, string? issuer) : DevanaApiFactory(dataDirectory)
{
    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings[IdentitySettings.IssuerKey] = issuer;
        return settings;
    }
}

/// <summary>
/// Two instances behind one public URL (one database, one key set, each reached under its own host name,
/// as a load balancer's backends are), and one instance without a configured issuer, as the control.
/// </summary>
public sealed class IssuerHostsFixture : IAsyncLifetime
{
    public const string PublicUrl = "https://devana.example.com/";

    private readonly string _shared = Path.Combine(Path.GetTempPath(), "devana-tests", "issuer-" + Guid.NewGuid().ToString("N"));
    private readonly string _alone = Path.Combine(Path.GetTempPath(), "devana-tests", "no-issuer-" + Guid.NewGuid().ToString("N"));

    public IssuerHostFactory First { get; private set; } = null!;

    public IssuerHostFactory Second { get; private set; } = null!;

    public IssuerHostFactory WithoutIssuer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        First = new IssuerHostFactory(_shared, PublicUrl);
        await First.InitializeAsync();
        Second = new IssuerHostFactory(_shared, PublicUrl);
        await Second.InitializeAsync();
        WithoutIssuer = new IssuerHostFactory(_alone, null);
        await WithoutIssuer.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { First, Second, WithoutIssuer })
        {
            await ((IAsyncLifetime)host).DisposeAsync();
        }
    }
}

public sealed class IssuerTests(IssuerHostsFixture hosts) : IClassFixture<IssuerHostsFixture>
{
    private static HttpClient Reach(DevanaApiFactory host, string name) =>
        host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{name}/"), AllowAutoRedirect = false });

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var token = await OAuth.ClientCredentialsAsync(client, "devana-dev", BootstrapSettings.DevelopmentClientSecret, "agents completions");
        return token.RequireAccessToken();
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task TokenFromOneInstance_IsAcceptedByAnother_UnderTheConfiguredIssuer()
    {
        using var first = Reach(hosts.First, "instance-1.internal");
        using var second = Reach(hosts.Second, "instance-2.internal");

        var token = await TokenAsync(first);

        OAuth.ReadJwtPayload(token).GetProperty("iss").GetString().Should().Be(IssuerHostsFixture.PublicUrl);
        (await CallAsync(second, token)).Should().Be(HttpStatusCode.OK);
        (await CallAsync(first, token)).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Discovery_OnEveryInstance_NamesThePublicUrl()
    {
        foreach (var (host, name) in new[] { (hosts.First, "instance-1.internal"), (hosts.Second, "instance-2.internal") })
        {
            using var client = Reach(host, name);
            var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration")).RootElement;

            discovery.GetProperty("issuer").GetString().Should().Be(IssuerHostsFixture.PublicUrl);
        }
    }

    [Fact]
    public async Task WithoutAConfiguredIssuer_ATokenIsValidOnlyUnderTheHostNameThatIssuedIt()
    {
        using var issuedHere = Reach(hosts.WithoutIssuer, "instance-1.internal");
        using var elsewhere = Reach(hosts.WithoutIssuer, "instance-2.internal");

        var token = await TokenAsync(issuedHere);

        (await CallAsync(issuedHere, token)).Should().Be(HttpStatusCode.OK);
        (await CallAsync(elsewhere, token)).Should().Be(HttpStatusCode.Unauthorized, "this is what Devana:Identity:Issuer is for");
    }
}
