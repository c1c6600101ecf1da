using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationHandlers.Protection;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>
/// An access token's signature is verified once per cache lifetime (docs/identity.md, "Revocation"): the
/// next requests with the same token use the principal it produced, and any other text is verified in full.
/// </summary>
public sealed class VerifiedTokenCacheTests(TokenEntryCacheTests.Factory factory) : IClassFixture<TokenEntryCacheTests.Factory>
{
    private const string ProtectedPath = "/v1/clients";

    /// <summary>
    /// Whether the cache holds the token as checked on the test server: no issuer is configured, so OpenIddict
    /// checks the token against the host's address with and without its trailing slash.
    /// </summary>
    internal static bool Remembers(IServiceProvider services, string token, out System.Security.Claims.ClaimsPrincipal? principal) =>
        services.GetRequiredService<VerifiedTokenCache>().TryGet("http://localhost/ http://localhost", token, out principal);

    private bool Remembers(string token, out System.Security.Claims.ClaimsPrincipal? principal) => Remembers(factory.Services, token, out principal);

    [Fact]
    public async Task Token_VerifiedOnce_IsServedFromTheCache_AndStillWorks()
    {
        var caller = await factory.CreateMachineClientAsync();
        var token = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        Remembers(token, out _).Should().BeFalse("it has not been used yet");

        var first = await caller.Client.GetAsync(ProtectedPath);
        Remembers(token, out var principal).Should().BeTrue();
        var second = await caller.Client.GetAsync(ProtectedPath);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        principal!.FindFirst("sub")!.Value.Should().Be(OAuth.ReadJwtPayload(token).GetProperty("sub").GetString());
    }

    /// <summary>Two clients' tokens; the first has been used once, so its signature check is remembered.</summary>
    private async Task<(string Token, string OtherToken)> AVerifiedTokenAndAnotherAsync()
    {
        var caller = await factory.CreateMachineClientAsync();
        var other = await factory.CreateMachineClientAsync();
        (await caller.Client.GetAsync(ProtectedPath)).StatusCode.Should().Be(HttpStatusCode.OK);
        return (caller.Client.DefaultRequestHeaders.Authorization!.Parameter!, other.Client.DefaultRequestHeaders.Authorization!.Parameter!);
    }

    [Fact]
    public async Task AForgedSignature_OnAPayloadAlreadyVerified_IsRefused()
    {
        var (token, otherToken) = await AVerifiedTokenAndAnotherAsync();

        var parts = token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[signature.Length / 2] = signature[signature.Length / 2] == 'A' ? 'B' : 'A';
        var forged = $"{parts[0]}.{parts[1]}.{new string(signature)}";
        var swapped = $"{parts[0]}.{parts[1]}.{otherToken.Split('.')[2]}";

        foreach (var bad in new[] { forged, swapped })
        {
            using var attacker = factory.CreateBearerClient(bad);
            await (await attacker.GetAsync(ProtectedPath)).ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
            Remembers(bad, out _).Should().BeFalse("only tokens that passed are stored");
        }
    }

    [Fact]
    public async Task AnotherPayload_UnderAVerifiedTokensSignature_IsRefused()
    {
        var (token, otherToken) = await AVerifiedTokenAndAnotherAsync();

        var parts = token.Split('.');
        using var attacker = factory.CreateBearerClient($"{parts[0]}.{otherToken.Split('.')[1]}.{parts[2]}");

        await (await attacker.GetAsync(ProtectedPath)).ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public async Task AVerifiedToken_Revoked_IsRefusedOnTheNextRequest_ItsEntryIsStillChecked()
    {
        var client = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["admin"]);
        using var http = factory.CreateClient();
        var token = (await OAuth.ClientCredentialsAsync(http, client.ClientId, client.Secret!)).RequireAccessToken();
        using var caller = factory.CreateBearerClient(token);
        (await caller.GetAsync(ProtectedPath)).StatusCode.Should().Be(HttpStatusCode.OK);

        await OAuth.RevokeAsync(http, client.ClientId, client.Secret, token);
        Remembers(token, out _).Should().BeTrue("the signature check is still remembered");
        var afterRevocation = await caller.GetAsync(ProtectedPath);

        await afterRevocation.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public void TheHandlers_SitAroundOpenIddictsSignatureCheck_AndItsClaimMapping()
    {
        var handlers = factory.Services.GetRequiredService<IOptions<OpenIddictValidationOptions>>().Value.Handlers;
        int OrderOf(Type type) => handlers.Single(handler => handler.ServiceDescriptor.ServiceType == type).Order;

        OrderOf(typeof(VerifiedTokenCacheHandlers.UseVerifiedPrincipal)).Should().BeLessThan(OrderOf(typeof(ValidateIdentityModelToken)));
        OrderOf(typeof(VerifiedTokenCacheHandlers.StoreVerifiedPrincipal)).Should()
            .BeGreaterThan(OrderOf(typeof(MapInternalClaims))).And.BeLessThan(OrderOf(typeof(RestoreTokenEntryProperties)));
    }

    [Fact]
    public async Task ThePrincipalServedFromTheCache_HoldsWhatOpenIddictsMappingGave_AndNoClaimTwice()
    {
        var caller = await factory.CreateMachineClientAsync();
        var token = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        (await caller.Client.GetAsync(ProtectedPath)).StatusCode.Should().Be(HttpStatusCode.OK);
        Remembers(token, out var stored).Should().BeTrue();

        // The cached principal goes through NormalizeScopeClaims and MapInternalClaims again: they must find
        // their work done, and leave the claims as they are.
        var context = new OpenIddictValidationTransaction { Options = factory.Services.GetRequiredService<IOptions<OpenIddictValidationOptions>>().Value };
        var validate = new OpenIddictValidationEvents.ValidateTokenContext(context) { Principal = stored };
        var before = stored!.Claims.Select(claim => (claim.Type, claim.Value)).ToList();
        await new NormalizeScopeClaims().HandleAsync(validate);
        await new MapInternalClaims().HandleAsync(validate);

        validate.Principal!.Claims.Select(claim => (claim.Type, claim.Value)).Should().Equal(before);
        stored.HasClaim(claim => claim.Type == "oi_exp_dt").Should().BeTrue("the expiry OpenIddict checks next is mapped before the principal is stored");
        stored.HasClaim(claim => claim.Type == "oi_prst").Should().BeTrue();
        (await caller.Client.GetAsync(ProtectedPath)).StatusCode.Should().Be(HttpStatusCode.OK, "the cached principal passes the checks after the mapping");
    }
}
