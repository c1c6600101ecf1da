using System.Security.Claims;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Security;
using Microsoft.AspNetCore.Http;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary><see cref="HttpCurrentPrincipal"/> reads a principal's claims once, and again for another principal.</summary>
public sealed class HttpCurrentPrincipalTests
{
    private static ClaimsPrincipal Principal(string workspace, string subject, string kind, params string[] scopes) => new(new ClaimsIdentity(
        [
            new Claim(DevanaClaimTypes.WorkspaceId, workspace),
            new Claim(DevanaClaimTypes.Subject, subject),
            new Claim(DevanaClaimTypes.PrincipalKind, kind),
            .. scopes.Select(scope => new Claim(DevanaClaimTypes.Scope, scope)),
        ],
        authenticationType: "Bearer"));

    [Fact]
    public void AReplacedPrincipal_IsReadAgain()
    {
        var context = new DefaultHttpContext { User = Principal("ws_one", "cli_one", PrincipalKinds.Client, "completions files") };
        var caller = new HttpCurrentPrincipal(new HttpContextAccessor { HttpContext = context });

        var first = (caller.WorkspaceId, caller.PrincipalId, caller.Kind, caller.IsWorkspaceAdmin);
        var firstScopes = caller.Scopes;
        context.User = Principal("ws_two", "cli_two", PrincipalKinds.Client, "admin");

        first.Should().Be(("ws_one", "cli_one", PrincipalKind.Client, false));
        firstScopes.Should().BeEquivalentTo(["completions", "files"]);
        (caller.WorkspaceId, caller.PrincipalId, caller.IsWorkspaceAdmin).Should().Be(("ws_two", "cli_two", true));
        caller.Scopes.Should().BeEquivalentTo(["admin"]);
    }

    [Fact]
    public void AnAnonymousRequest_IsNotAuthenticated_AndHasNoWorkspace()
    {
        var caller = new HttpCurrentPrincipal(new HttpContextAccessor { HttpContext = new DefaultHttpContext() });

        caller.IsAuthenticated.Should().BeFalse();
        caller.Scopes.Should().BeEmpty();
        caller.Invoking(c => c.WorkspaceId).Should().Throw<InvalidOperationException>().WithMessage("*not authenticated*");
        caller.Invoking(c => c.PrincipalId).Should().Throw<InvalidOperationException>().WithMessage("*not authenticated*");
    }

    [Fact]
    public void WithoutARequest_NothingIsAuthenticated()
    {
        var caller = new HttpCurrentPrincipal(new HttpContextAccessor());

        caller.IsAuthenticated.Should().BeFalse();
        caller.Kind.Should().Be(PrincipalKind.User);
    }
}
