using Devana.Application.Files.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Files;

/// <summary>Registers file storage, text extraction, chunking and ranking.</summary>
public static class FilesSetup
{
    /// <summary>Reads and checks <c>Devana:Files</c> now, so that a bad setting stops start-up naming its key.</summary>
    public static IServiceCollection AddFileServices(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(FilesOptions.Section).Get<FilesOptions>() ?? new FilesOptions();
        var problem = options.Validate();
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        services.AddSingleton(Options.Create(options));
        services.AddSingleton<IFileStorage, LocalFileStorage>();
        services.AddSingleton<IFileTextExtractor, FileTextExtractor>();
        services.AddSingleton<IChunkRanker, Bm25Ranker>();
        // Scoped: it uses ITokenCounter, whose lifetime is the tokenizer's to choose.
        services.AddScoped<ITextChunker, TokenTextChunker>();
        return services;
    }
}
