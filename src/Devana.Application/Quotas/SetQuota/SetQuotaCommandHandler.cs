using Devana.Application.Agents.Common;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Quotas.Common;
using Devana.Domain.Common;
using Devana.Domain.Quotas;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Quotas.SetQuota;

/// <summary>
/// Creates or replaces a stored quota. The subject must be of the admin's workspace: an agent that does
/// not exist there (or was deleted) is 404 <c>agent_not_found</c>; a principal id that is not a
/// user or client of the workspace is 404.
/// </summary>
internal sealed class SetQuotaCommandHandler(
    IApplicationDbContext db,
    ICurrentPrincipal caller,
    TimeProvider clock)
    : IRequestHandler<SetQuotaCommand, QuotaDto>
{
    public async Task<QuotaDto> Handle(SetQuotaCommand request, CancellationToken cancellationToken)
    {
        var admin = caller.ToActor();
        var subjectId = await ResolveSubjectAsync(request, admin, cancellationToken);
        var limits = QuotaLimits.Create(request.RequestsPerMinute ?? 0, request.RequestsPerDay ?? 0, request.TokensPerDay ?? 0, request.TokensPerMonth ?? 0);
        var quota = await FindAsync(admin.WorkspaceId, request.Level, subjectId, cancellationToken);
        if (quota is not null)
        {
            quota.Change(admin, limits, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return QuotaDto.From(quota);
        }

        quota = Quota.Create(admin, request.Level, subjectId, limits, clock.GetUtcNow());
        db.Quotas.Add(quota);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another admin created it at the same moment: PUT replaces, so this one's limits win.
            db.Quotas.Entry(quota).State = EntityState.Detached;
            var existing = await FindAsync(admin.WorkspaceId, request.Level, subjectId, cancellationToken);
            if (existing is null)
            {
                throw;
            }

            existing.Change(admin, limits, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return QuotaDto.From(existing);
        }

        return QuotaDto.From(quota);
    }

    private Task<Quota?> FindAsync(string workspaceId, QuotaLevel level, string subjectId, CancellationToken cancellationToken) =>
        db.Quotas.FirstOrDefaultAsync(q => q.WorkspaceId == workspaceId && q.Level == level && q.SubjectId == subjectId, cancellationToken);

    private async Task<string> ResolveSubjectAsync(SetQuotaCommand request, Actor admin, CancellationToken cancellationToken)
    {
        switch (request.Level)
        {
            case QuotaLevel.Workspace:
                return admin.WorkspaceId;
            case QuotaLevel.Agent:
                return (await db.GetAgentAsync(admin, request.SubjectId ?? string.Empty, cancellationToken)).Id;
            case QuotaLevel.Principal:
                var id = request.SubjectId ?? string.Empty;
                var workspaceId = admin.WorkspaceId;
                var exists = id.StartsWith(IdPrefixes.User + "_", StringComparison.Ordinal)
                    ? await db.Users.AnyAsync(u => u.WorkspaceId == workspaceId && u.Id == id, cancellationToken)
                    : id.StartsWith(IdPrefixes.Client + "_", StringComparison.Ordinal)
                      && await db.ApiClients.AnyAsync(c => c.WorkspaceId == workspaceId && c.Id == id, cancellationToken);
                if (!exists)
                {
                    throw new NotFoundException(ErrorCodes.NotFound, $"No principal '{id}' exists in this workspace; principal ids are a user's usr_… or a client's cli_… id.");
                }

                return id;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Level, "Unknown quota level.");
        }
    }
}
