using Devana.Application.Files.Common;
using Devana.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.Files;

/// <summary>Registers file storage, text extraction, chunking and ranking.</summary>
public static class FilesSetup
{
    /// <summary><c>Devana:Files</c>, checked when the host starts, so that a bad setting stops start-up naming its key.</summary>
    public static IServiceCollection AddFileServices(this IServiceCollection services)
    {
        services.AddValidatedOptions<FilesOptions, FilesOptionsValidator>(FilesOptions.Section);
        services.AddSingleton<IFileStorage, LocalFileStorage>();
        services.AddSingleton<IFileTextExtractor, FileTextExtractor>();
        services.AddSingleton<IChunkRanker, Bm25Ranker>();
        // Scoped: it uses ITokenCounter, whose lifetime is the tokenizer's to choose.
        services.AddScoped<ITextChunker, TokenTextChunker>();
        return services;
    }
}
