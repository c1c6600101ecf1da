using System.Net;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Domain.Clients;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>Authorization code + PKCE through the real login page, as a front-end app runs it.</summary>
public sealed class AuthorizationCodeFlowTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    private const string WebClient = BrowserSession.WebClientId;
    private const string Callback = BrowserSession.WebRedirectUri;

    [Fact]
    public async Task SignIn_ThroughTheLoginPage_YieldsTokensForTheUser()
    {
        var user = await factory.SeedUserAsync(role: "admin");
        using var browser = new BrowserSession(factory);

        var tokens = await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);

        var claims = OAuth.ReadJwtPayload(tokens.RequireAccessToken());
        claims.GetProperty("sub").GetString().Should().Be(user.Id);
        claims.GetProperty("workspace_id").GetString().Should().Be(user.WorkspaceId);
        claims.GetProperty("principal_kind").GetString().Should().Be("user");
        claims.GetProperty("role").GetString().Should().Be("admin");
        claims.GetProperty("scope").GetString()!.Split(' ').Should().Contain(["completions", "agents", "files", "admin"]);
        tokens.RefreshToken.Should().NotBeNullOrEmpty();
        tokens.IdToken.Should().NotBeNullOrEmpty();
        tokens.ExpiresIn.Should().BeInRange(3590, 3600);
    }

    [Fact]
    public async Task UserInfo_WithTheUsersAccessToken_ReturnsTheUser()
    {
        var user = await factory.SeedUserAsync(role: "member");
        using var browser = new BrowserSession(factory);
        var tokens = await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);
        using var client = factory.CreateBearerClient(tokens.RequireAccessToken());

        var response = await client.GetAsync("/connect/userinfo");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var info = document.RootElement;
        info.GetProperty("sub").GetString().Should().Be(user.Id);
        info.GetProperty("email").GetString().Should().Be(user.Email);
        info.GetProperty("name").GetString().Should().Be("Test member");
        info.GetProperty("workspace_id").GetString().Should().Be(user.WorkspaceId);
        info.GetProperty("role").GetString().Should().Be("member");
    }

    [Fact]
    public async Task UserInfo_WithAMachineClientsToken_IsRefused()
    {
        var machine = await factory.CreateMachineClientAsync();

        var response = await machine.Client.GetAsync("/connect/userinfo");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_IssuesNewTokens_AndTheOldRefreshTokenThenFails()
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var first = await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);

        var second = await OAuth.RefreshAsync(browser.Client, WebClient, first.RefreshToken!);
        var replay = await OAuth.RefreshAsync(browser.Client, WebClient, first.RefreshToken!);

        second.RequireAccessToken().Should().NotBe(first.AccessToken);
        second.RefreshToken.Should().NotBeNullOrEmpty().And.NotBe(first.RefreshToken);
        OAuth.ReadJwtPayload(second.AccessToken!).GetProperty("sub").GetString().Should().Be(user.Id);
        replay.Error.Should().Be("invalid_grant");
    }

    [Fact]
    public async Task Refresh_WhenAUsedRefreshTokenIsReplayed_RevokesTheWholeSignIn()
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var first = await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);
        var second = await OAuth.RefreshAsync(browser.Client, WebClient, first.RefreshToken!);

        await OAuth.RefreshAsync(browser.Client, WebClient, first.RefreshToken!);
        var next = await OAuth.RefreshAsync(browser.Client, WebClient, second.RefreshToken!);
        using var api = factory.CreateBearerClient(second.RequireAccessToken());

        next.Error.Should().Be("invalid_grant", "a replayed refresh token revokes the chain it belongs to");
        (await api.GetAsync("/v1/users")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Code_RedeemedTwice_IsInvalidGrantTheSecondTime()
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var pkce = Pkce.Create();
        var callback = await browser.AuthorizeAsync(BrowserSession.AuthorizeUrl(WebClient, Callback, "openid agents", pkce.Challenge), user.WorkspaceName, user.Email, user.Password);
        var code = BrowserSession.QueryOf(callback, "code")!;

        var first = await browser.RedeemAsync(code, pkce.Verifier);
        var second = await browser.RedeemAsync(code, pkce.Verifier);

        first.RequireAccessToken();
        second.Error.Should().Be("invalid_grant");
    }

    [Fact]
    public async Task Code_WithAWrongVerifier_IsInvalidGrant()
    {
        var code = await CodeAsync(Pkce.Create());

        var tokens = await new BrowserSession(factory).RedeemAsync(code, Pkce.Create().Verifier);

        tokens.Error.Should().Be("invalid_grant");
    }

    [Fact]
    public async Task Code_WithoutTheVerifier_IsRefused()
    {
        var code = await CodeAsync(Pkce.Create());

        var tokens = await new BrowserSession(factory).RedeemAsync(code, verifier: null);

        tokens.Error.Should().Be("invalid_request");
        tokens.AccessToken.Should().BeNull();
    }

    [Fact]
    public async Task Authorize_WithoutACodeChallenge_IsInvalidRequest()
    {
        var error = await AuthorizeErrorAsync(BrowserSession.AuthorizeUrl(WebClient, Callback, "openid", codeChallenge: null));

        error.Should().Be("invalid_request");
    }

    [Fact]
    public async Task Authorize_WithThePlainChallengeMethod_IsInvalidRequest()
    {
        var error = await AuthorizeErrorAsync(BrowserSession.AuthorizeUrl(WebClient, Callback, "openid", "a-plain-challenge-that-is-long-enough-to-be-valid-0123456789", "plain"));

        error.Should().Be("invalid_request");
    }

    [Fact]
    public async Task Authorize_WithAnUnknownScope_IsInvalidScope()
    {
        var error = await AuthorizeErrorAsync(BrowserSession.AuthorizeUrl(WebClient, Callback, "openid everything", Pkce.Create().Challenge));

        error.Should().Be("invalid_scope");
    }

    [Fact]
    public async Task Authorize_WithAnUnregisteredRedirectUri_IsInvalidRequestWithoutRedirecting()
    {
        using var browser = new BrowserSession(factory);

        var response = await browser.GetAsync(BrowserSession.AuthorizeUrl(WebClient, "https://evil.example.com/callback", "openid", Pkce.Create().Challenge));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Headers.Location.Should().BeNull();
        (await response.Content.ReadAsStringAsync()).Should().Contain("invalid_request");
    }

    [Fact]
    public async Task Authorize_ForAnUnknownClient_IsInvalidRequestWithoutRedirecting()
    {
        using var browser = new BrowserSession(factory);

        var response = await browser.GetAsync(BrowserSession.AuthorizeUrl("nobody", Callback, "openid", Pkce.Create().Challenge));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Headers.Location.Should().BeNull();
        (await response.Content.ReadAsStringAsync()).Should().Contain("error:invalid_request").And.Contain("client_id");
    }

    [Fact]
    public async Task Authorize_WhenNotSignedIn_SendsTheBrowserToTheLoginPage()
    {
        using var browser = new BrowserSession(factory);

        var response = await browser.GetAsync(BrowserSession.AuthorizeUrl(WebClient, Callback, "openid", Pkce.Create().Challenge));
        var login = await browser.GetAsync(browser.Location(response).PathAndQuery);
        var html = await login.Content.ReadAsStringAsync();

        browser.IsRedirectTo(response, "/account/login").Should().BeTrue();
        login.StatusCode.Should().Be(HttpStatusCode.OK);
        login.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("Devana web").And.Contain("value=\"default\"").And.Contain("type=\"password\"");
        BrowserSession.AntiforgeryToken(html).Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Login_WithAWrongPassword_ShowsAnErrorAndDoesNotSignIn()
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var loginUrl = await LoginUrlAsync(browser);

        var response = await browser.SubmitLoginAsync(loginUrl, user.WorkspaceName, user.Email, "Wrong-password-123");
        var retry = await browser.GetAsync(BrowserSession.AuthorizeUrl(WebClient, Callback, "openid", Pkce.Create().Challenge));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("The workspace, email or password is not right.");
        browser.IsRedirectTo(retry, "/account/login").Should().BeTrue();
    }

    [Fact]
    public async Task Login_WithTheRightPasswordInTheWrongWorkspace_Fails()
    {
        var user = await factory.SeedUserAsync();
        await factory.GetWorkspaceIdAsync("elsewhere");
        using var browser = new BrowserSession(factory);

        var response = await browser.SubmitLoginAsync(await LoginUrlAsync(browser), "elsewhere", user.Email, user.Password);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("not right");
    }

    [Fact]
    public async Task Login_AfterFiveFailures_LocksTheAccountEvenForTheRightPassword()
    {
        var user = await factory.SeedUserAsync();
        var bystander = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var loginUrl = await LoginUrlAsync(browser);

        for (var i = 0; i < 5; i++)
        {
            await browser.SubmitLoginAsync(loginUrl, user.WorkspaceName, user.Email, "Wrong-password-123");
        }

        var locked = await browser.SubmitLoginAsync(loginUrl, user.WorkspaceName, user.Email, user.Password);
        var other = await browser.SubmitLoginAsync(loginUrl, bystander.WorkspaceName, bystander.Email, bystander.Password);

        locked.StatusCode.Should().Be(HttpStatusCode.OK);
        (await locked.Content.ReadAsStringAsync()).Should().Contain("locked");
        other.StatusCode.Should().Be(HttpStatusCode.Redirect, "another account is not affected");
    }

    [Fact]
    public async Task Login_WithoutTheAntiforgeryToken_IsRefused()
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var loginUrl = await LoginUrlAsync(browser);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Workspace"] = user.WorkspaceName,
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
        });

        var response = await browser.Client.PostAsync(loginUrl, form);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Authorize_ThroughTheUsersOwnWorkspaceClient_Works_AndTheLoginPageNamesTheWorkspace()
    {
        var user = await factory.SeedUserAsync("team-a");
        var app = await factory.SeedClientAsync("team-a", ["agents"], ClientType.Public, ["https://app.team-a.example/cb"]);
        using var browser = new BrowserSession(factory);
        var pkce = Pkce.Create();
        var authorize = BrowserSession.AuthorizeUrl(app.ClientId, "https://app.team-a.example/cb", "openid agents", pkce.Challenge);
        var login = await browser.GetAsync(browser.Location(await browser.GetAsync(authorize)).PathAndQuery);

        var callback = await browser.AuthorizeAsync(authorize, user.WorkspaceName, user.Email, user.Password);
        var tokens = await browser.RedeemAsync(BrowserSession.QueryOf(callback, "code")!, pkce.Verifier, app.ClientId, "https://app.team-a.example/cb");

        (await login.Content.ReadAsStringAsync()).Should().Contain("value=\"team-a\"");
        OAuth.ReadJwtPayload(tokens.RequireAccessToken()).GetProperty("sub").GetString().Should().Be(user.Id);
    }

    [Fact]
    public async Task Authorize_ThroughAnotherWorkspacesClient_RedirectsBackWithAccessDenied()
    {
        var outsider = await factory.SeedUserAsync("team-b");
        var app = await factory.SeedClientAsync("team-c", ["agents"], ClientType.Public, ["https://app.team-c.example/cb"]);
        using var browser = new BrowserSession(factory);

        var callback = await browser.AuthorizeAsync(
            BrowserSession.AuthorizeUrl(app.ClientId, "https://app.team-c.example/cb", "openid agents", Pkce.Create().Challenge),
            outsider.WorkspaceName, outsider.Email, outsider.Password);

        callback.GetLeftPart(UriPartial.Path).Should().Be("https://app.team-c.example/cb");
        BrowserSession.QueryOf(callback, "error").Should().Be("access_denied");
        BrowserSession.QueryOf(callback, "code").Should().BeNull();
    }

    [Fact]
    public async Task Logout_EndsTheLoginSession()
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);
        var authorize = BrowserSession.AuthorizeUrl(WebClient, Callback, "openid", Pkce.Create().Challenge);
        var whileSignedIn = await browser.GetAsync(authorize);

        var logout = await browser.GetAsync("/connect/logout");
        var afterLogout = await browser.GetAsync(authorize);

        browser.Location(whileSignedIn).GetLeftPart(UriPartial.Path).Should().Be(Callback);
        logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        browser.IsRedirectTo(afterLogout, "/account/login").Should().BeTrue();
    }

    [Fact]
    public async Task Logout_WithARegisteredPostLogoutUri_ReturnsThere()
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var tokens = await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);

        var logout = await browser.GetAsync($"/connect/logout?id_token_hint={tokens.IdToken}&post_logout_redirect_uri={Uri.EscapeDataString("http://localhost:5173/")}&state=bye");

        logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        browser.Location(logout).GetLeftPart(UriPartial.Path).Should().Be("http://localhost:5173/");
        BrowserSession.QueryOf(browser.Location(logout), "state").Should().Be("bye");
    }

    private async Task<string> CodeAsync(Pkce pkce)
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var callback = await browser.AuthorizeAsync(BrowserSession.AuthorizeUrl(WebClient, Callback, "openid agents", pkce.Challenge), user.WorkspaceName, user.Email, user.Password);
        return BrowserSession.QueryOf(callback, "code")!;
    }

    /// <summary>
    /// The error of an authorization request the server refuses before any login. OpenIddict answers
    /// the errors it finds before it has checked the client and its redirect URI itself (400, an
    /// <c>error:</c> line), and redirects the others back to the client: either is read here.
    /// </summary>
    private async Task<string?> AuthorizeErrorAsync(string authorizeUrl)
    {
        using var browser = new BrowserSession(factory);
        var response = await browser.GetAsync(authorizeUrl);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var location = browser.Location(response);
            location.GetLeftPart(UriPartial.Path).Should().Be(Callback);
            return BrowserSession.QueryOf(location, "error");
        }

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        return body.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("error:", StringComparison.Ordinal))?["error:".Length..];
    }

    private static async Task<string> LoginUrlAsync(BrowserSession browser)
    {
        var response = await browser.GetAsync(BrowserSession.AuthorizeUrl(WebClient, Callback, "openid", Pkce.Create().Challenge));
        return browser.Location(response).PathAndQuery;
    }
}
