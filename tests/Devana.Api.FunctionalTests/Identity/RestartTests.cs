using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>Two hosts, one after the other, on the same data directory and database: a restart.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "devana-tests", Guid.NewGuid().ToString("N"));

    private sealed class SharedDataFactory(string dataDirectory) : DevanaApiFactory(dataDirectory);

    [Fact]
    public async Task TokensAndLoginSessions_IssuedBeforeARestart_StillWorkAfterIt()
    {
        string machineToken;
        string userToken;
        string refreshToken;
        Uri authorizeAgain;
        CookieCollection cookies;
        await using (var before = new SharedDataFactory(_dataDirectory))
        {
            var machine = await before.CreateMachineClientAsync();
            machineToken = machine.Client.DefaultRequestHeaders.Authorization!.Parameter!;
            var user = await before.SeedUserAsync(role: "owner");
            using var browser = new BrowserSession(before);
            var tokens = await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);
            userToken = tokens.RequireAccessToken();
            refreshToken = tokens.RefreshToken!;
            authorizeAgain = new Uri(browser.Client.BaseAddress!, BrowserSession.AuthorizeUrl(BrowserSession.WebClientId, BrowserSession.WebRedirectUri, "openid", Pkce.Create().Challenge));
            cookies = CookiesOf(browser);
        }

        await using var after = new SharedDataFactory(_dataDirectory);
        using var machineApi = after.CreateBearerClient(machineToken);
        using var userApi = after.CreateBearerClient(userToken);
        using var http = after.CreateClient();

        (await machineApi.GetAsync("/v1/clients")).StatusCode.Should().Be(HttpStatusCode.OK, "the signing keys were loaded, not regenerated");
        (await userApi.GetAsync("/v1/users")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await OAuth.RefreshAsync(http, BrowserSession.WebClientId, refreshToken)).RequireAccessToken();

        // The login cookie is protected with Data Protection keys kept in the database.
        using var browserAfter = new BrowserSession(after);
        RestoreCookies(browserAfter, cookies);
        var authorize = await browserAfter.GetAsync(authorizeAgain.PathAndQuery);
        browserAfter.Location(authorize).GetLeftPart(UriPartial.Path).Should().Be(BrowserSession.WebRedirectUri, "the session survived the restart");
    }

    [Fact]
    public async Task Bootstrap_RunTwice_CreatesEachThingOnce()
    {
        await using (var first = new SharedDataFactory(_dataDirectory))
        {
            _ = first.Server;
        }

        await using var second = new SharedDataFactory(_dataDirectory);
        await using var scope = second.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();

        (await db.Workspaces.CountAsync()).Should().Be(1);
        (await db.Users.CountAsync()).Should().Be(1);
        (await db.ApiClients.Select(client => client.ClientId).ToListAsync()).Should().BeEquivalentTo("devana-dev", "devana-web");
        File.Exists(Path.Combine(_dataDirectory, "keys", "signing.pfx")).Should().BeTrue();
        File.Exists(Path.Combine(_dataDirectory, "keys", "encryption.pfx")).Should().BeTrue();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }

    private static CookieCollection CookiesOf(BrowserSession browser) =>
        CookieContainerOf(browser).GetCookies(browser.Client.BaseAddress!);

    private static void RestoreCookies(BrowserSession browser, CookieCollection cookies) =>
        CookieContainerOf(browser).Add(browser.Client.BaseAddress!, cookies);

    private static CookieContainer CookieContainerOf(BrowserSession browser) => browser.Cookies;
}
