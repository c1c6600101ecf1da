using Devana.Application.Common.Security;
using MediatR;

namespace Devana.Application.Clients.DeleteClient;

/// <summary><c>DELETE /v1/clients/{id}</c>: the client and every token issued to it stop working at once.</summary>
public sealed record DeleteClientCommand(string Id) : IRequest<Unit>, IRequireWorkspaceAdmin;
