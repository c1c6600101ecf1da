using AutoMapper;
using Devana.Application.Clients.Common;
using Devana.Application.Common.Interfaces;
using MediatR;

namespace Devana.Application.Clients.RotateClientSecret;

internal sealed class RotateClientSecretCommandHandler(IApplicationDbContext db, IOAuthApplicationRegistry registry, ICurrentPrincipal principal, IMapper mapper)
    : IRequestHandler<RotateClientSecretCommand, ClientWithSecretDto>
{
    public async Task<ClientWithSecretDto> Handle(RotateClientSecretCommand request, CancellationToken cancellationToken)
    {
        var client = await db.FindInWorkspaceAsync(principal.WorkspaceId, request.Id, cancellationToken);
        client.EnsureSecretCanBeRotated();
        var secret = await registry.RotateSecretAsync(client, cancellationToken);
        return mapper.Map<ClientWithSecretDto>(client) with { ClientSecret = secret };
    }
}
