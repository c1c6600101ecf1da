using Devana.Application.Common.Paging;
using Devana.Application.Common.Security;
using Devana.Application.Quotas.Common;
using MediatR;

namespace Devana.Application.Quotas.ListQuotas;

/// <summary><c>GET /v1/quotas</c>: the workspace's stored quotas and its configured defaults.</summary>
public sealed record ListQuotasQuery(PageRequest Page) : IRequest<QuotaListDto>, IRequireWorkspaceAdmin;
