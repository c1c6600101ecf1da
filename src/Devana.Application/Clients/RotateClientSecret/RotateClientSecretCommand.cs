using Devana.Application.Clients.Common;
using Devana.Application.Common.Security;
using MediatR;

namespace Devana.Application.Clients.RotateClientSecret;

/// <summary><c>POST /v1/clients/{id}/secret</c>: a new secret, shown once; the old one stops working.</summary>
public sealed record RotateClientSecretCommand(string Id) : IRequest<ClientWithSecretDto>, IRequireWorkspaceAdmin;
