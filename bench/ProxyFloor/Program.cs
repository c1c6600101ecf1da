using Yarp.ReverseProxy.Configuration;

// The floor of bench/run.sh: a bare reverse proxy on YARP that forwards every request to the mock
// upstream, with no auth, no storage and no parsing of the body. What it costs per request is what
// Kestrel and HttpClient alone cost on this machine; what Devana costs above it is Devana's own work.
//
//   PROXY_UPSTREAM   the upstream's base address (e.g. http://127.0.0.1:5898/); required
//   ASPNETCORE_URLS  where to listen
var upstream = Environment.GetEnvironmentVariable("PROXY_UPSTREAM")
    ?? throw new InvalidOperationException("PROXY_UPSTREAM is required (the mock's base address).");

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**rest}" } }],
    [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig> { ["mock"] = new() { Address = upstream } } }]);

var app = builder.Build();
app.MapGet("/floor/health", () => "ok");
app.MapReverseProxy();
await app.RunAsync();
