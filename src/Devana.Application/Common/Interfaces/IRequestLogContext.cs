namespace Devana.Application.Common.Interfaces;

/// <summary>
/// Adds properties to the one log line written per request (agent, LLM, token counts). Never message
/// contents, tokens or secrets.
/// </summary>
public interface IRequestLogContext
{
    void Set(string property, object? value);
}
