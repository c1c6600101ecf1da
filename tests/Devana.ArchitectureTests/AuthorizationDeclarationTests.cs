using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.ArchitectureTests;

/// <summary>
/// Every API action says who may call it (<c>[Authorize(Policy = …)]</c> or <c>[AllowAnonymous]</c>),
/// on the action or its controller, so that a new endpoint cannot be public by omission.
/// </summary>
public sealed class AuthorizationDeclarationTests
{
    [Fact]
    public void EveryControllerAction_DeclaresItsAuthorization()
    {
        var controllers = typeof(Devana.Api.DependencyInjection).Assembly.GetTypes()
            .Where(type => type is { IsAbstract: false, IsClass: true } && typeof(ControllerBase).IsAssignableFrom(type))
            .ToList();

        var undeclared = controllers
            .SelectMany(controller => controller.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .Where(action => action.GetCustomAttribute<NonActionAttribute>() is null)
                .Where(action => !Declares(controller) && !Declares(action))
                .Select(action => $"{controller.Name}.{action.Name}"))
            .ToList();

        controllers.Should().NotBeEmpty();
        undeclared.Should().BeEmpty();
    }

    [Fact]
    public void ApiControllers_UseNamedScopePolicies()
    {
        var policies = typeof(Devana.Api.DependencyInjection).Assembly.GetTypes()
            .Where(type => typeof(ControllerBase).IsAssignableFrom(type))
            .SelectMany(type => type.GetCustomAttributes<AuthorizeAttribute>())
            .Select(attribute => attribute.Policy);

        policies.Should().OnlyContain(policy => policy != null && typeof(Devana.Api.Auth.ScopePolicies).GetFields().Any(field => (string?)field.GetValue(null) == policy));
    }

    private static bool Declares(MemberInfo member) =>
        member.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Any() || member.GetCustomAttributes<AllowAnonymousAttribute>(inherit: true).Any();
}
