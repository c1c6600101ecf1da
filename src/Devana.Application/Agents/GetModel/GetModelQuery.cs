using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.GetModel;

/// <summary><c>GET /v1/models/{id}</c>: one agent the caller may use, as an OpenAI model.</summary>
public sealed record GetModelQuery(string Id) : IRequest<ModelDto>;
