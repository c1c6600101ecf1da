using AutoMapper;
using Devana.Application.Clients.Common;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Clients;
using MediatR;

namespace Devana.Application.Clients.CreateClient;

internal sealed class CreateClientCommandHandler(
    IApplicationDbContext db,
    IOAuthApplicationRegistry registry,
    ICurrentPrincipal principal,
    TimeProvider time,
    IMapper mapper) : IRequestHandler<CreateClientCommand, ClientWithSecretDto>
{
    public async Task<ClientWithSecretDto> Handle(CreateClientCommand request, CancellationToken cancellationToken)
    {
        var client = ApiClient.Register(principal.WorkspaceId, request.Name!, request.Type!.Value, request.Scopes!, request.RedirectUris ?? [], time.GetUtcNow());
        db.ApiClients.Add(client);
        var secret = await registry.RegisterAsync(client, secret: null, cancellationToken);
        return mapper.Map<ClientWithSecretDto>(client) with { ClientSecret = secret };
    }
}
