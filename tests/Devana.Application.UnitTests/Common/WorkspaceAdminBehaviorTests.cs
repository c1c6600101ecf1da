using Devana.Application.Common.Behaviors;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Security;
using MediatR;
using NSubstitute;

namespace Devana.Application.UnitTests.Common;

public sealed class WorkspaceAdminBehaviorTests
{
    public sealed record AdminOnly : IRequest<string>, IRequireWorkspaceAdmin;

    public sealed record Anyone : IRequest<string>;

    private static ICurrentPrincipal Principal(bool isAdmin)
    {
        var principal = Substitute.For<ICurrentPrincipal>();
        principal.IsWorkspaceAdmin.Returns(isAdmin);
        return principal;
    }

    [Fact]
    public async Task Handle_AdminRequestFromANonAdmin_ThrowsAccessDeniedWithoutCallingNext()
    {
        var behavior = new WorkspaceAdminBehavior<AdminOnly, string>(Principal(isAdmin: false));
        var called = false;

        var act = () => behavior.Handle(new AdminOnly(), CancellationToken.None, () =>
        {
            called = true;
            return Task.FromResult("ok");
        });

        (await act.Should().ThrowAsync<ForbiddenAccessException>()).Which.Code.Should().Be(ErrorCodes.AccessDenied);
        called.Should().BeFalse();
    }

    [Fact]
    public async Task Handle_AdminRequestFromAnAdmin_CallsNext()
    {
        var behavior = new WorkspaceAdminBehavior<AdminOnly, string>(Principal(isAdmin: true));

        (await behavior.Handle(new AdminOnly(), CancellationToken.None, () => Task.FromResult("ok"))).Should().Be("ok");
    }

    [Fact]
    public async Task Handle_UnmarkedRequestFromANonAdmin_CallsNext()
    {
        var behavior = new WorkspaceAdminBehavior<Anyone, string>(Principal(isAdmin: false));

        (await behavior.Handle(new Anyone(), CancellationToken.None, () => Task.FromResult("ok"))).Should().Be("ok");
    }
}
