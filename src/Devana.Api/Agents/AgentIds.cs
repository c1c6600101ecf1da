using Devana.Application.Common.Exceptions;

namespace Devana.Api.Agents;

/// <summary>The one rule for an <c>id</c> in the body of a request on <c>/v1/agents/{id}</c>.</summary>
internal static class AgentIds
{
    /// <summary>An agent's id cannot change: sent, it must be the id in the path (else 400 naming <c>id</c>).</summary>
    public static void CheckUnchanged(string pathId, bool sent, string? bodyId)
    {
        if (sent && !string.Equals(bodyId, pathId, StringComparison.Ordinal))
        {
            throw new BadRequestException($"An agent's id cannot be changed: the body's id must be '{pathId}' (the id in the path) or left out.", "id");
        }
    }
}
