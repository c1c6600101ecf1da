using Devana.Application.Common.Security;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using MediatR;

namespace Devana.Application.Quotas.SetQuota;

/// <summary>
/// <c>PUT /v1/quotas/workspace</c>, <c>/v1/quotas/principals/{id}</c>, <c>/v1/quotas/agents/{id}</c>: sets
/// the four limits of one subject as a whole. A limit absent or 0 is no limit. <c>SubjectId</c> is the
/// principal or agent id; the workspace level ignores it (it is the caller's workspace).
/// </summary>
public sealed record SetQuotaCommand(
    QuotaLevel Level,
    string? SubjectId,
    long? RequestsPerMinute,
    long? RequestsPerDay,
    long? TokensPerDay,
    long? TokensPerMonth) : IRequest<QuotaDto>, IRequireWorkspaceAdmin;
