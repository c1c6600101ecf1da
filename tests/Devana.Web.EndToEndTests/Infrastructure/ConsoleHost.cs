using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Web.EndToEndTests.Infrastructure;

/// <summary>
/// The real Devana host on a real Kestrel port (browsers cannot reach a TestServer), over a fresh SQLite
/// file with the real migrations, in Development (so the bootstrap admin and <c>devana-dev</c> exist).
/// Its LLM catalog is the built-in <c>echo</c>, and <c>held</c>, <c>failing</c> (503) and <c>silent</c> (never
/// answers; its provider times out after <see cref="SilentTimeoutSeconds"/>), served by a <see cref="FakeLlmUpstream"/>.
/// The console's pages carry the server's own Content-Security-Policy (SecurityHeaders), so a script or
/// style that policy would block fails these tests.
/// </summary>
public sealed class ConsoleHost : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@devana.local";
    public const string AdminPassword = "Devana-dev-password-1";
    public const string MemberEmail = "member@devana.local";
    public const string MemberPassword = "Member-password-123";
    public const string EchoAgent = "echo-agent";
    public const string HeldAgent = "held-agent";
    public const string UnreliableAgent = "unreliable-agent";
    public const string FailingLlm = "failing";
    public const string SilentLlm = "silent";
    public const string SilentTimeoutSeconds = "2";
    public const string EchoWelcome = "Hello! I repeat what you say.";

    private readonly Dictionary<string, string?> _extraSettings;

    public ConsoleHost(FakeLlmUpstream upstream, IDictionary<string, string?>? extraSettings = null)
    {
        Upstream = upstream;
        _extraSettings = new Dictionary<string, string?>(extraSettings ?? new Dictionary<string, string?>());
        DataDirectory = Path.Combine(Path.GetTempPath(), "devana-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public FakeLlmUpstream Upstream { get; }

    public string DataDirectory { get; }

    /// <summary>The origin the browser uses, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Origin { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Devana"] = $"Data Source={Path.Combine(DataDirectory, "devana.db")}",
            ["Devana:DataPath"] = DataDirectory,
            ["Devana:Files:StoragePath"] = Path.Combine(DataDirectory, "files"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Devana:Llm:DefaultModel"] = "echo",
            ["Devana:Llm:Providers:echo:Type"] = "Echo",
            ["Devana:Llm:Providers:fake:Type"] = "OpenAI",
            ["Devana:Llm:Providers:fake:BaseUrl"] = Upstream.BaseUrl,
            ["Devana:Llm:Providers:fake:ApiKey"] = FakeLlmUpstream.ApiKey,
            ["Devana:Llm:Providers:fake:MaxRetries"] = "0",
            ["Devana:Llm:Providers:slow:Type"] = "OpenAI",
            ["Devana:Llm:Providers:slow:BaseUrl"] = Upstream.SilentBaseUrl,
            ["Devana:Llm:Providers:slow:ApiKey"] = FakeLlmUpstream.ApiKey,
            ["Devana:Llm:Providers:slow:MaxRetries"] = "0",
            ["Devana:Llm:Providers:slow:TimeoutSeconds"] = SilentTimeoutSeconds,
            ["Devana:Llm:Models:0:Id"] = "echo",
            ["Devana:Llm:Models:0:Provider"] = "echo",
            ["Devana:Llm:Models:0:UpstreamModel"] = "echo",
            ["Devana:Llm:Models:0:ContextWindow"] = "8192",
            ["Devana:Llm:Models:0:MaxOutputTokens"] = "1024",
            ["Devana:Llm:Models:1:Id"] = "held",
            ["Devana:Llm:Models:1:Provider"] = "fake",
            ["Devana:Llm:Models:1:UpstreamModel"] = "gpt-held",
            ["Devana:Llm:Models:1:ContextWindow"] = "8192",
            ["Devana:Llm:Models:1:MaxOutputTokens"] = "1024",
            ["Devana:Llm:Models:2:Id"] = FailingLlm,
            ["Devana:Llm:Models:2:Provider"] = "fake",
            ["Devana:Llm:Models:2:UpstreamModel"] = FakeLlmUpstream.FailingModel,
            ["Devana:Llm:Models:2:ContextWindow"] = "8192",
            ["Devana:Llm:Models:2:MaxOutputTokens"] = "1024",
            ["Devana:Llm:Models:3:Id"] = SilentLlm,
            ["Devana:Llm:Models:3:Provider"] = "slow",
            ["Devana:Llm:Models:3:UpstreamModel"] = FakeLlmUpstream.SilentModel,
            ["Devana:Llm:Models:3:ContextWindow"] = "8192",
            ["Devana:Llm:Models:3:MaxOutputTokens"] = "1024",
        };
        foreach (var (key, value) in _extraSettings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the server, and creates the agents and the member the scenarios use.</summary>
    public async Task StartAsync()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = new Uri(address);
        Http = new HttpClient { BaseAddress = Origin };

        var token = await MachineTokenAsync();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await PostAsync("/v1/agents", new { id = EchoAgent, name = "Echo agent", model = "echo", allowed_models = new[] { "echo", "held" }, visibility = "workspace", welcome_message = EchoWelcome });
        await PostAsync("/v1/agents", new { id = HeldAgent, name = "Held agent", model = "held", visibility = "workspace" });
        await PostAsync("/v1/agents", new { id = UnreliableAgent, name = "Unreliable agent", model = "echo", allowed_models = new[] { "echo", FailingLlm, SilentLlm }, visibility = "workspace" });
        await PostAsync("/v1/users", new { email = MemberEmail, password = MemberPassword, role = "member", name = "Member" });
    }

    private async Task<string> MachineTokenAsync()
    {
        using var response = await Http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "devana-dev",
            ["client_secret"] = "devana-dev-secret",
        }));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"POST {path}: {(int)response.StatusCode} {error}"));
        }
    }

    /// <summary>Creates a member through the API; returns its id.</summary>
    public async Task<string> CreateUserAsync(string email, string password)
    {
        using var response = await Http.PostAsJsonAsync("/v1/users", new { email, password, role = "member" });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    public async Task SetPrincipalQuotaAsync(string principalId, long requestsPerDay)
    {
        using var response = await Http.PutAsJsonAsync($"/v1/quotas/principals/{principalId}", new { requests_per_day = requestsPerDay });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The stored messages of a conversation, read with the machine token (an admin of the workspace).</summary>
    public async Task<JsonElement> MessagesAsync(string conversationId)
    {
        using var response = await Http.GetAsync($"/v1/conversations/{conversationId}/messages?limit=100");
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("data").Clone();
    }

    /// <summary>A conversation as the API gives it (read with the machine token): its status, and its body when found.</summary>
    public async Task<(HttpStatusCode Status, JsonElement? Body)> ConversationAsync(string conversationId)
    {
        using var response = await Http.GetAsync($"/v1/conversations/{conversationId}");
        if (!response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null);
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Http?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }
}
