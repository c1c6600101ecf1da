using MediatR;

namespace Devana.Application.Usage.GetUsage;

/// <summary><c>GET /v1/usage</c>: the caller's counters and limits at each level that applies to it.</summary>
public sealed record GetUsageQuery : IRequest<UsageStatusDto>;
