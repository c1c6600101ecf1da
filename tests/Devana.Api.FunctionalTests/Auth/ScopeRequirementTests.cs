using System.Security.Claims;
using Devana.Api.Auth;
using Devana.Application.Common.Security;
using Microsoft.AspNetCore.Authorization;

namespace Devana.Api.FunctionalTests.Auth;

/// <summary>The scope check on its own: whole scope names, in one space-separated claim or several.</summary>
public sealed class ScopeRequirementTests
{
    private static async Task<bool> SucceedsAsync(ScopeRequirement requirement, params string[] scopeClaims)
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity(scopeClaims.Select(value => new Claim(DevanaClaimTypes.Scope, value)), "Bearer"));
        var context = new AuthorizationHandlerContext([requirement], user, resource: null);
        await requirement.HandleAsync(context);
        return context.HasSucceeded;
    }

    [Theory]
    [InlineData("completions")]
    [InlineData("agents completions")]
    [InlineData("agents  completions ")]
    [InlineData(" completions")]
    public async Task AScopeNamedInTheClaim_IsGranted(string claim)
    {
        (await SucceedsAsync(new ScopeRequirement("completions"), claim)).Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("agents")]
    [InlineData("completion")]
    [InlineData("completions2")]
    [InlineData("xcompletions")]
    [InlineData("agents,completions")]
    public async Task AScopeNotNamedWhole_IsNotGranted(string claim)
    {
        (await SucceedsAsync(new ScopeRequirement("completions"), claim)).Should().BeFalse();
    }

    [Fact]
    public async Task AnyOfTheRequiredScopes_InAnyOfTheClaims_Grants()
    {
        var requirement = new ScopeRequirement("completions", "agents");

        (await SucceedsAsync(requirement, "files", "usage agents")).Should().BeTrue();
        (await SucceedsAsync(requirement, "files", "usage")).Should().BeFalse();
        (await SucceedsAsync(requirement)).Should().BeFalse("no scope claim at all");
    }
}
