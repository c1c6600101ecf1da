using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Identity;

public sealed class RevocationTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public async Task Introspection_OfALiveToken_ReportsItActiveWithItsPrincipal()
    {
        var client = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["agents", "files"]);
        using var http = factory.CreateClient();
        var token = (await OAuth.ClientCredentialsAsync(http, client.ClientId, client.Secret!)).RequireAccessToken();

        var introspection = await OAuth.IntrospectAsync(http, client.ClientId, client.Secret!, token);

        introspection.Status.Should().Be(HttpStatusCode.OK);
        introspection.Body.GetProperty("active").GetBoolean().Should().BeTrue();
        introspection.String("sub").Should().Be(client.Id);
        introspection.String("client_id").Should().Be(client.ClientId);
        introspection.String("token_usage").Should().Be("access_token");
    }

    [Fact]
    public async Task Revocation_MakesIntrospectionReportTheTokenInactive()
    {
        var client = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["agents"]);
        using var http = factory.CreateClient();
        var token = (await OAuth.ClientCredentialsAsync(http, client.ClientId, client.Secret!)).RequireAccessToken();

        var revocation = await OAuth.RevokeAsync(http, client.ClientId, client.Secret, token);
        var introspection = await OAuth.IntrospectAsync(http, client.ClientId, client.Secret!, token);

        revocation.Status.Should().Be(HttpStatusCode.OK);
        introspection.Body.GetProperty("active").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Revocation_OfAUsersRefreshToken_ByThePublicClient_StopsTheRefresh()
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var tokens = await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);

        var revocation = await OAuth.RevokeAsync(browser.Client, BrowserSession.WebClientId, clientSecret: null, tokens.RefreshToken!);
        var refresh = await OAuth.RefreshAsync(browser.Client, BrowserSession.WebClientId, tokens.RefreshToken!);

        revocation.Status.Should().Be(HttpStatusCode.OK);
        refresh.Error.Should().Be("invalid_grant");
    }

    [Fact]
    public async Task Introspection_ByAnotherClient_ReportsTheTokenInactive()
    {
        var owner = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["agents"]);
        var stranger = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["agents"]);
        using var http = factory.CreateClient();
        var token = (await OAuth.ClientCredentialsAsync(http, owner.ClientId, owner.Secret!)).RequireAccessToken();

        var introspection = await OAuth.IntrospectAsync(http, stranger.ClientId, stranger.Secret!, token);

        introspection.Body.GetProperty("active").GetBoolean().Should().BeFalse();
    }
}
