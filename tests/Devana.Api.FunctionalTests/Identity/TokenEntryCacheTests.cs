using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationHandlers.Protection;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>
/// The short cache of valid token entries (docs/identity.md, "Revocation"): revocation through this
/// instance still takes effect on the next request; a change made outside it within the cache lifetime.
/// </summary>
public sealed class TokenEntryCacheTests(TokenEntryCacheTests.Factory factory) : IClassFixture<TokenEntryCacheTests.Factory>
{
    private const string ProtectedPath = "/v1/clients";

    [Fact]
    public async Task Token_RevokedThroughThisInstance_IsRefusedOnTheNextRequest()
    {
        var client = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["admin"]);
        using var http = factory.CreateClient();
        var token = (await OAuth.ClientCredentialsAsync(http, client.ClientId, client.Secret!)).RequireAccessToken();
        using var caller = factory.CreateBearerClient(token);

        var first = await caller.GetAsync(ProtectedPath);
        var second = await caller.GetAsync(ProtectedPath);
        await OAuth.RevokeAsync(http, client.ClientId, client.Secret, token);
        var afterRevocation = await caller.GetAsync(ProtectedPath);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        await afterRevocation.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public async Task Token_RevokedOutsideThisInstance_IsRefusedOnceTheCacheLifetimeHasPassed()
    {
        var caller = await factory.CreateMachineClientAsync();
        var token = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;

        var cached = await caller.Client.GetAsync(ProtectedPath);
        await RevokeInTheDatabaseAsync(factory.DatabasePath, token);
        var withinLifetime = await caller.Client.GetAsync(ProtectedPath);
        factory.Clock.Advance(TokenEntryCache.DefaultLifetime + TimeSpan.FromSeconds(1));
        var afterLifetime = await caller.Client.GetAsync(ProtectedPath);

        cached.StatusCode.Should().Be(HttpStatusCode.OK);
        withinLifetime.StatusCode.Should().Be(HttpStatusCode.OK, "another instance's revocation may take up to the cache lifetime");
        await afterLifetime.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public async Task UserToken_InUseWhenItsRefreshTokenIsReplayed_IsRefusedOnTheNextRequest()
    {
        var user = await factory.SeedUserAsync();
        using var browser = new BrowserSession(factory);
        var tokens = await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);
        using var api = factory.CreateBearerClient(tokens.RequireAccessToken());

        var before = await api.GetAsync("/v1/agents");
        await OAuth.RefreshAsync(browser.Client, BrowserSession.WebClientId, tokens.RefreshToken!);
        await OAuth.RefreshAsync(browser.Client, BrowserSession.WebClientId, tokens.RefreshToken!);
        var after = await api.GetAsync("/v1/agents");

        before.StatusCode.Should().Be(HttpStatusCode.OK);
        await after.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public void BuiltInDatabaseChecks_AreStillRegistered_AndSkipOnlyCachedTokens()
    {
        var handlers = factory.Services.GetRequiredService<IOptions<OpenIddictValidationOptions>>().Value.Handlers;

        foreach (var builtIn in new[] { typeof(RestoreTokenEntryProperties), typeof(ValidateTokenEntry), typeof(ValidateAuthorizationEntry) })
        {
            handlers.Should().ContainSingle(handler => handler.ServiceDescriptor.ServiceType == builtIn)
                .Which.FilterTypes.Should().Contain(typeof(TokenEntryCacheHandlers.RequireEntryNotServedFromCache));
        }
    }

    /// <summary>What another instance sharing the database would do: change the row behind this host's back.</summary>
    internal static async Task RevokeInTheDatabaseAsync(string databasePath, string token)
    {
        var tokenId = OAuth.ReadJwtPayload(token).GetProperty("oi_tkn_id").GetString();
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE OpenIddictTokens SET Status = 'revoked' WHERE Id = $id;";
        command.Parameters.AddWithValue("$id", tokenId);
        (await command.ExecuteNonQueryAsync()).Should().Be(1);
    }

    public sealed class Factory : DevanaApiFactory
    {
        public TestClock Clock { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }
}

/// <summary><c>Devana:Identity:TokenEntryCacheSeconds</c> = 0: every request reads the token's entry.</summary>
public sealed class TokenEntryCacheDisabledTests(TokenEntryCacheDisabledTests.Factory factory) : IClassFixture<TokenEntryCacheDisabledTests.Factory>
{
    [Fact]
    public async Task Token_RevokedOutsideThisInstance_IsRefusedOnTheNextRequest()
    {
        var caller = await factory.CreateMachineClientAsync();
        var token = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;

        var before = await caller.Client.GetAsync("/v1/clients");
        await TokenEntryCacheTests.RevokeInTheDatabaseAsync(factory.DatabasePath, token);
        var after = await caller.Client.GetAsync("/v1/clients");

        before.StatusCode.Should().Be(HttpStatusCode.OK);
        await after.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public async Task TokenSignatures_AreVerifiedOnEveryRequest()
    {
        var caller = await factory.CreateMachineClientAsync();
        var token = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;

        (await caller.Client.GetAsync("/v1/clients")).StatusCode.Should().Be(HttpStatusCode.OK);

        factory.Services.GetRequiredService<VerifiedTokenCache>().IsEnabled.Should().BeFalse();
        VerifiedTokenCacheTests.Remembers(factory.Services, token, out _).Should().BeFalse("nothing is remembered with the lifetime at 0");
    }

    [Theory]
    [InlineData("61")]
    [InlineData("-1")]
    [InlineData("soon")]
    public void Startup_WithALifetimeOutsideZeroToSixty_FailsNamingTheKey(string value)
    {
        using var bad = new LifetimeFactory(value);

        var start = () => bad.Server;

        start.Should().Throw<Exception>().Which.Message.Should().Contain(TokenEntryCache.LifetimeKey);
    }

    public sealed class Factory : DevanaApiFactory
    {
        protected override IDictionary<string, string?> ConfigureSettings()
        {
            var settings = base.ConfigureSettings();
            settings[TokenEntryCache.LifetimeKey] = "0";
            return settings;
        }
    }

    private sealed class LifetimeFactory(string seconds) : DevanaApiFactory
    {
        protected override IDictionary<string, string?> ConfigureSettings()
        {
            var settings = base.ConfigureSettings();
            settings[TokenEntryCache.LifetimeKey] = seconds;
            return settings;
        }
    }
}
