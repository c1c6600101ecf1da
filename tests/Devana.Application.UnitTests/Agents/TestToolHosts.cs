using Devana.Application.Tools;

namespace Devana.Application.UnitTests.Agents;

/// <summary>A host policy that allows the hosts it is given and refuses the others, naming them.</summary>
internal sealed class TestToolHosts(params string[] allowed) : IToolHostPolicy
{
    public static readonly TestToolHosts Default = new("tools.example.com");

    public string? RefusalFor(Uri url) => allowed.Contains(url.Host, StringComparer.OrdinalIgnoreCase) ? null : $"The host '{url.Host}' is not allowed for tools.";
}
