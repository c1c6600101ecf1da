using Devana.Api.Auth;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Application.Common.Interfaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>Loaded only by <see cref="PrincipalProbeFactory"/>: shows what Application sees through <see cref="ICurrentPrincipal"/>.</summary>
[ApiController]
[Route("test/identity")]
public sealed class PrincipalProbeController(ICurrentPrincipal principal) : ControllerBase
{
    [HttpGet("whoami")]
    [Authorize(Policy = Policies.Completions)]
    public object WhoAmI() => new
    {
        principal.IsAuthenticated,
        principal.WorkspaceId,
        principal.PrincipalId,
        Kind = principal.Kind.ToString(),
        Scopes = principal.Scopes.Order(StringComparer.Ordinal).ToList(),
        principal.IsWorkspaceAdmin,
    };
}

public sealed class PrincipalProbeFactory : DevanaApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddControllers().AddApplicationPart(typeof(PrincipalProbeController).Assembly));
    }
}
