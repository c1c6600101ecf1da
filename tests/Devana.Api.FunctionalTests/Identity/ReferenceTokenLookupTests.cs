using System.Net;
using System.Net.Http.Headers;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationHandlers.Protection;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>
/// OpenIddict's reference token lookup is passed by for a JWT (Devana's access tokens), before the dispatcher builds
/// it and the token manager it needs, and runs as before for any other token.
/// </summary>
public sealed class ReferenceTokenLookupTests(TokenEntryCacheTests.Factory factory) : IClassFixture<TokenEntryCacheTests.Factory>
{
    private const string ProtectedPath = "/v1/clients";

    private OpenIddictValidationEvents.ValidateTokenContext Context(string token) =>
        new(new OpenIddictValidationTransaction { Options = factory.Services.GetRequiredService<IOptions<OpenIddictValidationOptions>>().Value })
        {
            SecurityTokenHandler = new JsonWebTokenHandler(),
            Token = token,
        };

    [Fact]
    public void TheLookup_IsStillRegistered_WithTheFilter()
    {
        var handlers = factory.Services.GetRequiredService<IOptions<OpenIddictValidationOptions>>().Value.Handlers;

        handlers.Should().ContainSingle(handler => handler.ServiceDescriptor.ServiceType == typeof(ValidateReferenceTokenIdentifier))
            .Which.FilterTypes.Should().Contain(typeof(ReferenceTokenLookup.RequireReferenceTokenFormat))
            .And.Contain(typeof(OpenIddictValidationHandlerFilters.RequireTokenEntryValidationEnabled), "OpenIddict's own filter stays");
    }

    [Fact]
    public async Task TheFilter_PassesByAJwt_AndKeepsTheLookupForAnythingElse()
    {
        var caller = await factory.CreateMachineClientAsync();
        var jwt = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var filter = new ReferenceTokenLookup.RequireReferenceTokenFormat();

        (await filter.IsActiveAsync(Context(jwt))).Should().BeFalse("an access token Devana issued is a JWT");
        (await filter.IsActiveAsync(Context("4Fq0Yc3mZ8vN1pK7sR2tW9xB5dH6jL"))).Should().BeTrue("an opaque string can only be a reference token");
        (await filter.IsActiveAsync(Context("not.a.jwt"))).Should().BeFalse("JWT-shaped text is the signature check's to refuse, as the lookup itself decides");
    }

    [Theory]
    [InlineData("4Fq0Yc3mZ8vN1pK7sR2tW9xB5dH6jL")]
    [InlineData("not.a.jwt")]
    public async Task AnOpaqueOrMalformedToken_IsRefused(string token)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, ProtectedPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.SendAsync(request);

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public async Task AJwt_StillWorks()
    {
        var caller = await factory.CreateMachineClientAsync();

        (await caller.Client.GetAsync(ProtectedPath)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
