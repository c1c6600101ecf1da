using System.Net;
using System.Net.Sockets;
using Devana.Application.Tools;

namespace Devana.Infrastructure.Tools;

/// <summary>
/// <c>Devana:Tools:AllowedHosts</c>: entries are host names (<c>api.example.com</c>), wildcards of
/// sub-domains (<c>*.example.com</c>), <c>*</c> (any host), IP addresses and CIDR ranges
/// (<c>10.1.0.0/16</c>). A URL's host must match an entry. The addresses it resolves to are checked when
/// the tool is called (so a name cannot be pointed elsewhere later): a loopback, private, link-local or
/// otherwise non-public address is refused unless the host name itself is listed (not through a wildcard)
/// or the address is in a listed address or range.
/// </summary>
internal sealed class ToolHostPolicy : IToolHostPolicy
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];
    private readonly List<IPNetwork> _networks = [];
    private readonly bool _any;

    public ToolHostPolicy(ToolsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var entry in settings.AllowedHosts)
        {
            if (entry == "*")
            {
                _any = true;
            }
            else if (entry.StartsWith("*.", StringComparison.Ordinal))
            {
                _suffixes.Add(entry[1..]);
            }
            else if (IPNetwork.TryParse(entry, out var network))
            {
                _networks.Add(network);
            }
            else if (IPAddress.TryParse(entry.Trim('[', ']'), out var address))
            {
                _networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                _names.Add(entry);
            }
        }
    }

    public string? RefusalFor(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            return IsAddressAllowed(host, address) ? null : NotListed(host);
        }

        return _any || _names.Contains(host) || _suffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase)) ? null : NotListed(host);
    }

    /// <summary>Whether a connection for <paramref name="host"/> may go to <paramref name="address"/> (see the class summary).</summary>
    public bool IsAddressAllowed(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (_networks.Any(n => n.Contains(address)))
        {
            return true;
        }

        if (!IsPublic(address))
        {
            return _names.Contains(host);
        }

        return _any || _names.Contains(host) || _suffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly IPNetwork[] s_nonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private static bool IsPublic(IPAddress address) => !s_nonPublic.Any(n => n.Contains(address));

    private static string NotListed(string host) =>
        $"The host '{host}' is not allowed for tools: it is not in Devana:Tools:AllowedHosts (loopback and private addresses only when listed themselves). An admin of this server lists the hosts tools may call.";
}
