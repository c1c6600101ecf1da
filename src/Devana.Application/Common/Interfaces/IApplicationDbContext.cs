using Devana.Domain.Conversations;
using Devana.Domain.Files;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Common.Interfaces;

/// <summary>
/// The unit of work handlers use. Each feature adds its <c>DbSet</c>s here; Infrastructure's
/// <c>DevanaDbContext</c> implements it.
/// </summary>
public interface IApplicationDbContext
{
    DbSet<Conversation> Conversations { get; }

    DbSet<Message> Messages { get; }

    DbSet<StoredFile> Files { get; }

    DbSet<FileChunk> FileChunks { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);
}
