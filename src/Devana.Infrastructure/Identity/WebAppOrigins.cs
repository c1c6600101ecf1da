using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// Where the Devana console (the browser app served at <c>/app</c>) may receive its sign-in and
/// sign-out redirects: its own callback (<see cref="CallbackPath"/>) and its own page
/// (<see cref="AppPath"/>) on the origins this instance listens on, and under its configured public URL
/// (<see cref="IdentitySettings.Issuer"/>), and nowhere else. So the app works after <c>dotnet run</c>, with any
/// <c>--urls</c>, and behind a proxy, without a redirect URI registered by hand.
/// </summary>
/// <remarks>
/// A wildcard binding (<c>http://0.0.0.0:5000</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) stands for the loopback
/// names and this machine's host name on that port: any other name a browser uses to reach the
/// instance (a DNS name, a proxy) is the public URL's job. The addresses are read when a request asks,
/// because the server knows its real ports (<c>--urls http://127.0.0.1:0</c>) only once it has started.
/// </remarks>
public sealed class WebAppOrigins(IServer server, IdentitySettings settings)
{
    public const string AppPath = "/app/";
    public const string CallbackPath = "/app/callback";

    private static readonly string[] s_wildcardHosts = ["0.0.0.0", "[::]", "+", "*"];

    /// <summary>Whether <paramref name="uri"/> is the app's callback on one of its allowed bases.</summary>
    public bool IsCallback(string uri) => Matches(uri, CallbackPath);

    /// <summary>Whether <paramref name="uri"/> is the app's own page (where sign-out returns) on one of its allowed bases.</summary>
    public bool IsAppPage(string uri) => Matches(uri, AppPath);

    /// <summary>The bases the app may be served under: origins, or the public URL with its path, without a trailing slash.</summary>
    public IReadOnlyList<string> Bases()
    {
        var bases = new List<string>();
        if (settings.Issuer is { } publicUrl)
        {
            bases.Add(publicUrl.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        }

        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            bases.AddRange(Origins(address));
        }

        return bases.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private bool Matches(string uri, string path)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var candidate) || candidate.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(candidate.Query) || !string.IsNullOrEmpty(candidate.Fragment) || !string.IsNullOrEmpty(candidate.UserInfo))
        {
            return false;
        }

        // Compared as written (the default port elided, the host in lower case), the way browsers send it.
        var normalized = candidate.GetLeftPart(UriPartial.Path);
        return Bases().Any(@base => string.Equals(normalized, new Uri(@base + path).GetLeftPart(UriPartial.Path), StringComparison.Ordinal));
    }

    private static IEnumerable<string> Origins(string address)
    {
        // Kestrel reports what it was given for wildcards ("http://+:5000") and the real port otherwise.
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            yield break;
        }

        var scheme = address[..schemeEnd].ToLowerInvariant();
        var rest = address[(schemeEnd + 3)..].TrimEnd('/');
        var portStart = rest.LastIndexOf(':');
        if (portStart < 0 || rest.EndsWith(']'))
        {
            yield break;
        }

        var host = rest[..portStart];
        var port = rest[(portStart + 1)..];
        var hosts = s_wildcardHosts.Contains(host, StringComparer.Ordinal)
            ? new[] { "localhost", "127.0.0.1", "[::1]", Dns.GetHostName() }
            : new[] { host };
        foreach (var name in hosts)
        {
            if (Uri.TryCreate($"{scheme}://{name}:{port}", UriKind.Absolute, out var origin))
            {
                yield return origin.GetLeftPart(UriPartial.Authority);
            }
        }
    }
}
