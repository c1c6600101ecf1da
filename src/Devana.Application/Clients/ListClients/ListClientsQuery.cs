using Devana.Application.Clients.Common;
using Devana.Application.Common.Paging;
using Devana.Application.Common.Security;
using MediatR;

namespace Devana.Application.Clients.ListClients;

/// <summary><c>GET /v1/clients</c>: the caller's workspace's clients, newest first.</summary>
public sealed record ListClientsQuery(PageRequest Page) : IRequest<ListResult<ClientDto>>, IRequireWorkspaceAdmin;
