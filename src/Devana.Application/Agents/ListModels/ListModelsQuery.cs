using Devana.Application.Common.Paging;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.ListModels;

/// <summary>
/// <c>GET /v1/models</c>: the agents the caller may use, newest first. Without <c>limit</c> or <c>after</c>
/// every one in one page, as OpenAI lists models (its SDKs do not page this list); with either, pages of
/// docs/api.md#lists-and-paging.
/// </summary>
public sealed record ListModelsQuery(PageRequest Page) : IRequest<ListResult<ModelDto>>;
