using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Devana.Application.Common.Exceptions;

/// <summary>Tells a failing database (unreachable, locked too long, a broken schema) from a bug.</summary>
public static class DatabaseFailure
{
    public static bool Is(Exception exception) =>
        exception is DbException or DbUpdateException or RetryLimitExceededException
        || (exception is InvalidOperationException && exception.InnerException is DbException);
}
