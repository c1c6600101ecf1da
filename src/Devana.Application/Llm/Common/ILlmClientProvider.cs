using Microsoft.Extensions.AI;

namespace Devana.Application.Llm.Common;

/// <summary>
/// Hands out the <see cref="IChatClient"/> that talks to a catalog model's upstream. Every client it
/// returns already sends the model's upstream name, retries failures before the first byte, and
/// translates upstream failures into <see cref="Application.Common.Exceptions.UpstreamException"/> (502 / 504),
/// never leaking a key. Usage and finish reason come back on <see cref="ChatResponse"/> /
/// <see cref="ChatResponseUpdate"/> as Microsoft.Extensions.AI reports them.
/// </summary>
public interface ILlmClientProvider
{
    /// <exception cref="ArgumentException">The model is not in the catalog.</exception>
    IChatClient GetClient(LlmModel model);
}
