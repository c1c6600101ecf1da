using Devana.Application.Common.Paging;
using MediatR;

namespace Devana.Application.Llm.ListLlms;

/// <summary><c>GET /v1/llms</c>: the whole LLM catalog, in its configured order, in one page.</summary>
public sealed record ListLlmsQuery : IRequest<ListResult<LlmDto>>;
