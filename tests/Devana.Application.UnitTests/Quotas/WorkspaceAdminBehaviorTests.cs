using Devana.Application.Common.Behaviors;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Security;
using MediatR;
using NSubstitute;

namespace Devana.Application.UnitTests.Quotas;

public sealed class WorkspaceAdminBehaviorTests
{
    public sealed record AdminOnly : IRequest<string>, IRequireWorkspaceAdmin;

    public sealed record ForEveryone : IRequest<string>;

    private static ICurrentPrincipal Caller(bool isAdmin)
    {
        var caller = Substitute.For<ICurrentPrincipal>();
        caller.IsWorkspaceAdmin.Returns(isAdmin);
        return caller;
    }

    [Fact]
    public async Task Handle_AdminRequestFromAMember_Is403AccessDeniedWithoutCallingNext()
    {
        var called = false;
        var behavior = new WorkspaceAdminBehavior<AdminOnly, string>(Caller(isAdmin: false));

        var act = () => behavior.Handle(new AdminOnly(), CancellationToken.None, () =>
        {
            called = true;
            return Task.FromResult("ok");
        });

        (await act.Should().ThrowAsync<ForbiddenAccessException>()).Which.Code.Should().Be(ErrorCodes.AccessDenied);
        called.Should().BeFalse();
    }

    [Fact]
    public async Task Handle_AdminRequestFromAnAdmin_CallsNext() =>
        (await new WorkspaceAdminBehavior<AdminOnly, string>(Caller(isAdmin: true)).Handle(new AdminOnly(), CancellationToken.None, () => Task.FromResult("ok")))
            .Should().Be("ok");

    [Fact]
    public async Task Handle_UnmarkedRequestFromAMember_CallsNext() =>
        (await new WorkspaceAdminBehavior<ForEveryone, string>(Caller(isAdmin: false)).Handle(new ForEveryone(), CancellationToken.None, () => Task.FromResult("ok")))
            .Should().Be("ok");
}
