using Devana.Application.Clients.Common;
using Devana.Application.Common.Security;
using Devana.Domain.Clients;
using MediatR;

namespace Devana.Application.Clients.CreateClient;

/// <summary><c>POST /v1/clients</c>: a new client of the caller's workspace.</summary>
public sealed record CreateClientCommand(string? Name, ClientType? Type, IReadOnlyList<string>? Scopes, IReadOnlyList<string>? RedirectUris)
    : IRequest<ClientWithSecretDto>, IRequireWorkspaceAdmin;
