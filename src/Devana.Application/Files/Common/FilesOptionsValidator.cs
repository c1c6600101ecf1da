using Microsoft.Extensions.Options;

namespace Devana.Application.Files.Common;

/// <summary>Checks <see cref="FilesOptions"/> when the host starts; each failure names its key.</summary>
public sealed class FilesOptionsValidator : IValidateOptions<FilesOptions>
{
    private const string Section = FilesOptions.Section;

    public ValidateOptionsResult Validate(string? name, FilesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? problem =
            string.IsNullOrWhiteSpace(options.StoragePath) ? $"{Section}:StoragePath must not be empty."
            : options.MaxBytes < 1 ? $"{Section}:MaxBytes must be at least 1."
            : options.ChunkTokens < 8 ? $"{Section}:ChunkTokens must be at least 8."
            : options.ChunkOverlapTokens < 0 || options.ChunkOverlapTokens >= options.ChunkTokens ? $"{Section}:ChunkOverlapTokens must be at least 0 and less than ChunkTokens."
            : options.MaxTextCharacters < 1 ? $"{Section}:MaxTextCharacters must be at least 1."
            : null;
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }
}
