using AutoMapper;
using Devana.Application.Common.Paging;
using Devana.Application.Llm.Common;
using MediatR;

namespace Devana.Application.Llm.ListLlms;

internal sealed class ListLlmsQueryHandler(ILlmCatalog catalog, IMapper mapper) : IRequestHandler<ListLlmsQuery, ListResult<LlmDto>>
{
    public Task<ListResult<LlmDto>> Handle(ListLlmsQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(new ListResult<LlmDto>(catalog.Models.Select(mapper.Map<LlmDto>).ToList(), HasMore: false, NextCursor: null));
}
