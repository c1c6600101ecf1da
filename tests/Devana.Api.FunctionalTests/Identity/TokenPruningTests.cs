using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Configuration;
using Devana.Infrastructure.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenIddict.Abstractions;
using Statuses = OpenIddict.Abstractions.OpenIddictConstants.Statuses;
using AuthorizationTypes = OpenIddict.Abstractions.OpenIddictConstants.AuthorizationTypes;
using TokenTypeHints = OpenIddict.Abstractions.OpenIddictConstants.TokenTypeHints;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>The host with a fake clock and pruning every 30 minutes of entries older than a day.</summary>
public sealed class TokenPruningFactory : DevanaApiFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Identity:Pruning:IntervalMinutes"] = "30";
        settings["Devana:Identity:Pruning:MinimumAgeHours"] = "24";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Token pruning on the real SQLite database, driven by the host's schedule.</summary>
public sealed class TokenPruningTests(TokenPruningFactory factory) : IClassFixture<TokenPruningFactory>
{
    private DateTimeOffset Now => factory.Clock.GetUtcNow();

    [Fact]
    public async Task ScheduledPass_RemovesEntriesThatCanNoLongerBeUsed_AndKeepsValidAndRecentOnes()
    {
        var subject = $"usr_{Guid.NewGuid():N}";
        var old = Now.AddDays(-3);
        var recent = Now.AddHours(-1);

        // Authorizations.
        var revokedOld = await AuthorizationAsync(subject, Statuses.Revoked, AuthorizationTypes.Permanent, old);
        var validPermanent = await AuthorizationAsync(subject, Statuses.Valid, AuthorizationTypes.Permanent, old);
        var revokedRecent = await AuthorizationAsync(subject, Statuses.Revoked, AuthorizationTypes.Permanent, recent);
        var adHocWithoutTokens = await AuthorizationAsync(subject, Statuses.Valid, AuthorizationTypes.AdHoc, old);
        var adHocWithToken = await AuthorizationAsync(subject, Statuses.Valid, AuthorizationTypes.AdHoc, old);

        // Tokens.
        var expired = await TokenAsync(subject, Statuses.Valid, old, Now.AddDays(-2));
        var revoked = await TokenAsync(subject, Statuses.Revoked, old, Now.AddDays(10));
        var redeemed = await TokenAsync(subject, Statuses.Redeemed, old, Now.AddDays(10));
        var ofRevokedAuthorization = await TokenAsync(subject, Statuses.Valid, old, Now.AddDays(10), revokedOld);
        var valid = await TokenAsync(subject, Statuses.Valid, old, Now.AddDays(10), adHocWithToken);
        var revokedButRecent = await TokenAsync(subject, Statuses.Revoked, recent, Now.AddDays(10));
        var expiredButRecent = await TokenAsync(subject, Statuses.Valid, recent, Now.AddMinutes(-5));

        var pass = new TaskCompletionSource<TokenPruningResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = factory.Services.GetRequiredService<TokenPruningService>();
        service.Pruned += result => pass.TrySetResult(result);

        factory.Clock.Advance(TimeSpan.FromMinutes(30));
        var result = await pass.Task.WaitAsync(TimeSpan.FromSeconds(30));

        result.Should().NotBeNull("the pass must not fail");
        var tokens = await TokenIdsAsync(subject);
        tokens.Should().NotContain([expired, revoked, redeemed, ofRevokedAuthorization]);
        tokens.Should().BeEquivalentTo([valid, revokedButRecent, expiredButRecent]);
        var authorizations = await AuthorizationIdsAsync(subject);
        authorizations.Should().NotContain([revokedOld, adHocWithoutTokens]);
        authorizations.Should().BeEquivalentTo([validPermanent, revokedRecent, adHocWithToken]);
        result!.Tokens.Should().BeGreaterThanOrEqualTo(4);
        result.Authorizations.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task APassWithNoMinimumAge_LeavesARealSignInUsable()
    {
        var caller = await factory.CreateMachineClientAsync();
        var eager = new TokenPruningService(
            factory.Services.GetRequiredService<IServiceScopeFactory>(),
            new TokenPruningSettings(true, TimeSpan.FromHours(1), TimeSpan.Zero),
            factory.Clock,
            NullLogger<TokenPruningService>.Instance);

        await eager.PruneOnceAsync(CancellationToken.None);

        (await caller.Client.GetAsync("/v1/agents")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("0", "24")]
    [InlineData("60", "-1")]
    [InlineData("abc", "24")]
    public void Settings_OutOfRange_StopStartUp(string interval, string minimumAge)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Devana:Identity:Pruning:IntervalMinutes"] = interval,
            ["Devana:Identity:Pruning:MinimumAgeHours"] = minimumAge,
        }).Build();

        var read = () => configuration.GetValidated<TokenPruningOptions, TokenPruningOptionsValidator>(TokenPruningOptions.Section);

        read.Should().Throw<Exception>().WithMessage("*Devana:Identity:Pruning*");
    }

    [Fact]
    public void Settings_Default_PruneHourlyWhatIsOlderThanARefreshTokenLives()
    {
        var settings = new ConfigurationBuilder().Build().GetValidated<TokenPruningOptions, TokenPruningOptionsValidator>(TokenPruningOptions.Section).ToSettings();

        settings.Should().Be(new TokenPruningSettings(true, TimeSpan.FromHours(1), IdentitySetup.RefreshTokenLifetime));
    }

    private async Task<string> AuthorizationAsync(string subject, string status, string type, DateTimeOffset created)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var authorization = await manager.CreateAsync(new OpenIddictAuthorizationDescriptor
        {
            Subject = subject,
            Status = status,
            Type = type,
            CreationDate = created,
        });
        return (await manager.GetIdAsync(authorization))!;
    }

    private async Task<string> TokenAsync(string subject, string status, DateTimeOffset created, DateTimeOffset expires, string? authorizationId = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var token = await manager.CreateAsync(new OpenIddictTokenDescriptor
        {
            Subject = subject,
            Status = status,
            Type = TokenTypeHints.RefreshToken,
            CreationDate = created,
            ExpirationDate = expires,
            AuthorizationId = authorizationId,
        });
        return (await manager.GetIdAsync(token))!;
    }

    private async Task<List<string>> TokenIdsAsync(string subject)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var ids = new List<string>();
        await foreach (var token in manager.FindBySubjectAsync(subject))
        {
            ids.Add((await manager.GetIdAsync(token))!);
        }

        return ids;
    }

    private async Task<List<string>> AuthorizationIdsAsync(string subject)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var ids = new List<string>();
        await foreach (var authorization in manager.FindBySubjectAsync(subject))
        {
            ids.Add((await manager.GetIdAsync(authorization))!);
        }

        return ids;
    }
}
