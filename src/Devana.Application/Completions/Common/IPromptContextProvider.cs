namespace Devana.Application.Completions.Common;

/// <summary>
/// The seam that fills the context section of the prompt (docs/completions.md#how-the-prompt-is-built: "the text of the agent's
/// knowledge files and of <c>files</c>"), implemented by the Files feature.
/// </summary>
public interface IPromptContextProvider
{
    /// <summary>
    /// Resolves <paramref name="request"/>'s files for the caller and returns the text to put in the
    /// prompt within <see cref="PromptContextRequest.TokenBudget"/>. Throws a 400 naming
    /// <c>files</c> for a file the caller cannot use.
    /// </summary>
    Task<PromptContext> GetContextAsync(PromptContextRequest request, CancellationToken cancellationToken);
}

/// <param name="AgentFileIds">The agent's knowledge files.</param>
/// <param name="RequestFileIds">The request's <c>files</c>, the caller's own uploads.</param>
/// <param name="Query">The last user message: what relevant chunks are ranked against.</param>
/// <param name="TokenBudget">Tokens the context section may use at most.</param>
public sealed record PromptContextRequest(IReadOnlyList<string> AgentFileIds, IReadOnlyList<string> RequestFileIds, string Query, int TokenBudget);

/// <summary>The context text and what it came from (for <c>debug.sources</c>).</summary>
public sealed record PromptContext(string Text, IReadOnlyList<PromptSource> Sources)
{
    public static readonly PromptContext Empty = new(string.Empty, []);
}

public sealed record PromptSource(string FileId, string Filename, string Excerpt);
