using Devana.Api.Auth;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>
/// Every <c>/v1</c> and <c>/completions</c> endpoint declares the scope it needs
/// (<c>[Authorize(Policy = Policies.X)]</c>) and none is anonymous: a controller that forgets fails here.
/// </summary>
public sealed class EndpointAuthorizationTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public void EveryApiEndpoint_DeclaresAScopePolicy()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => IsApiRoute(endpoint.RoutePattern.RawText))
            .ToList();

        endpoints.Should().Contain(endpoint => endpoint.RoutePattern.RawText!.TrimStart('/') == "v1/clients", "the check must see the API's endpoints");
        foreach (var endpoint in endpoints)
        {
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).ToList();
            policies.Should().Contain(policy => policy != null && Policies.All.Contains(policy), $"{endpoint.DisplayName} must declare one of the scope policies");
            endpoint.Metadata.GetMetadata<IAllowAnonymous>().Should().BeNull($"{endpoint.DisplayName} must not be anonymous");
        }
    }

    private static bool IsApiRoute(string? route)
    {
        var path = route?.TrimStart('/') ?? string.Empty;
        return path.StartsWith("v1/", StringComparison.OrdinalIgnoreCase) || path.Equals("v1", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith("completions", StringComparison.OrdinalIgnoreCase);
    }
}
