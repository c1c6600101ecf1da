using Devana.Application.Common.Paging;
using MediatR;

namespace Devana.Application.Agents.ListModels;

/// <summary><c>GET /v1/models</c>: every agent the caller may use, newest first, in one page (as OpenAI lists models).</summary>
public sealed record ListModelsQuery : IRequest<ListResult<ModelDto>>;
