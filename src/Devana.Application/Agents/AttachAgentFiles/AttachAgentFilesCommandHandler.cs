using AutoMapper;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Files;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Agents.AttachAgentFiles;

internal sealed class AttachAgentFilesCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper, TimeProvider clock)
    : IRequestHandler<AttachAgentFilesCommand, AgentDto>
{
    public async Task<AgentDto> Handle(AttachAgentFilesCommand request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.AgentId, cancellationToken);
        agent.EnsureCanBeChangedBy(actor);

        // Only the caller's own uploads can become knowledge (files are private to their uploader).
        var ids = request.FileIds!.Distinct(StringComparer.Ordinal).ToList();
        var files = await db.Files.AsNoTracking()
            .Where(f => f.WorkspaceId == actor.WorkspaceId && f.OwnerId == actor.PrincipalId && ids.Contains(f.Id))
            .Select(f => new { f.Id, f.Status, f.Filename })
            .ToListAsync(cancellationToken);
        var missing = ids.FirstOrDefault(id => files.All(f => f.Id != id));
        if (missing is not null)
        {
            throw new BadRequestException($"No file '{missing}' exists among your uploads.", "file_ids");
        }

        var unusable = files.FirstOrDefault(f => f.Status != FileStatus.Processed);
        if (unusable is not null)
        {
            throw new BadRequestException($"File '{unusable.Id}' ({unusable.Filename}) has no extracted text (status {unusable.Status.ToString().ToLowerInvariant()}); it cannot be knowledge.", "file_ids");
        }

        agent.AttachFiles(ids, actor, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<AgentDto>(agent);
    }
}
