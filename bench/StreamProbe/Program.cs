using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

// Measures streamed chat completions, which wrk cannot: for each request the time to the first
// content chunk (TTFT: the first `data:` event whose delta has non-empty content), the time to the
// response headers, and the time to the end of the stream (`data: [DONE]`).
//
// Load mode (closed loop):   --url U --body JSON [--token T] [--headers "Name: value|Name: value"] --concurrency C --duration S [--warmup S]
// Hold mode (memory test):   --url U --body JSON [--token T] --open N --watch-pid PID [--timeout S]
//   opens N streams at once, samples VmRSS of PID while they are open, reports VmHWM at the end.
// Prints one JSON object on stdout.
var options = Options.Parse(args);
using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    UseCookies = false,
};
using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
var bodyBytes = Encoding.UTF8.GetBytes(options.Body);

var result = options.Open > 0 ? await HoldAsync() : await LoadAsync();
Console.WriteLine(JsonSerializer.Serialize(result));
return 0;

async Task<Dictionary<string, object?>> LoadAsync()
{
    if (options.Warmup > 0)
    {
        await RunWorkersAsync(TimeSpan.FromSeconds(options.Warmup), new Samples());
    }

    var samples = new Samples();
    var clock = Stopwatch.StartNew();
    await RunWorkersAsync(TimeSpan.FromSeconds(options.Duration), samples);
    var elapsed = clock.Elapsed.TotalSeconds;
    return samples.Summary(elapsed);
}

async Task RunWorkersAsync(TimeSpan duration, Samples samples)
{
    var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var workers = Enumerable.Range(0, options.Concurrency).Select(async _ =>
    {
        await Task.Yield();
        while (Stopwatch.GetTimestamp() < end)
        {
            samples.Add(await StreamOnceAsync(null, CancellationToken.None));
        }
    });
    await Task.WhenAll(workers);
}

async Task<Dictionary<string, object?>> HoldAsync()
{
    var samples = new Samples();
    var open = 0;
    var maxOpen = 0;
    long maxRss = 0;
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Timeout));
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            maxRss = Math.Max(maxRss, ReadStatusKb(options.WatchPid, "VmRSS:"));
            try
            {
                await Task.Delay(100, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    });

    var clock = Stopwatch.StartNew();
    var streams = Enumerable.Range(0, options.Open).Select(async _ =>
    {
        await Task.Yield();
        var counted = false;
        var sample = await StreamOnceAsync(
            () =>
            {
                counted = true;
                var now = Interlocked.Increment(ref open);
                int seen;
                while ((seen = Volatile.Read(ref maxOpen)) < now && Interlocked.CompareExchange(ref maxOpen, now, seen) != seen)
                {
                }
            },
            stop.Token);
        if (counted)
        {
            Interlocked.Decrement(ref open);
        }

        samples.Add(sample);
    });
    await Task.WhenAll(streams);
    var elapsed = clock.Elapsed.TotalSeconds;
    await stop.CancelAsync();
    await sampler;

    var summary = samples.Summary(elapsed);
    summary["max_open_streams"] = maxOpen;
    summary["max_vm_rss_kb"] = maxRss;
    summary["vm_hwm_kb"] = ReadStatusKb(options.WatchPid, "VmHWM:");
    return summary;
}

async Task<Sample> StreamOnceAsync(Action? onFirstToken, CancellationToken cancellationToken)
{
    var started = Stopwatch.GetTimestamp();
    double? first = null;
    var chunks = 0;
    try
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = new ByteArrayContent(bodyBytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (options.Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }

        foreach (var (name, value) in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var headers = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            return Sample.Failed($"HTTP {(int)response.StatusCode}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("data: [DONE]", StringComparison.Ordinal))
            {
                var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return first is null ? Sample.Failed("no content") : new Sample(headers, first, total, chunks, null);
            }

            if (line.Contains("\"error\":{", StringComparison.Ordinal) && !line.Contains("\"delta\"", StringComparison.Ordinal))
            {
                return Sample.Failed("error event");
            }

            if (HasContent(line))
            {
                chunks++;
                if (first is null)
                {
                    first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    onFirstToken?.Invoke();
                }
            }
        }

        return Sample.Failed("stream ended without [DONE]");
    }
    catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
    {
        return Sample.Failed(exception.GetType().Name);
    }
}

// `"content":"x…` with at least one character: OpenAI's (and Devana's) compact JSON.
static bool HasContent(string line)
{
    var at = line.IndexOf("\"content\":\"", StringComparison.Ordinal);
    return at >= 0 && at + 11 < line.Length && line[at + 11] != '"';
}

static long ReadStatusKb(int pid, string field)
{
    try
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
    }
    catch (IOException)
    {
    }

    return 0;
}

internal sealed record Sample(double? HeadersMs, double? FirstTokenMs, double? TotalMs, int Chunks, string? Error)
{
    public static Sample Failed(string error) => new(null, null, null, 0, error);
}

internal sealed class Samples
{
    private readonly List<Sample> _all = [];

    public void Add(Sample sample)
    {
        lock (_all)
        {
            _all.Add(sample);
        }
    }

    public Dictionary<string, object?> Summary(double elapsedSeconds)
    {
        lock (_all)
        {
            var ok = _all.Where(s => s.Error is null).ToList();
            var headers = ok.Select(s => s.HeadersMs!.Value).Order().ToArray();
            var firsts = ok.Select(s => s.FirstTokenMs!.Value).Order().ToArray();
            var totals = ok.Select(s => s.TotalMs!.Value).Order().ToArray();
            return new Dictionary<string, object?>
            {
                ["requests"] = ok.Count,
                ["errors"] = _all.Count - ok.Count,
                ["error_kinds"] = _all.Where(s => s.Error is not null).GroupBy(s => s.Error!).ToDictionary(g => g.Key, g => g.Count()),
                ["seconds"] = Math.Round(elapsedSeconds, 2),
                ["streams_per_second"] = Math.Round(ok.Count / elapsedSeconds, 1),
                ["chunks_avg"] = ok.Count == 0 ? 0 : Math.Round(ok.Average(s => s.Chunks), 1),
                ["headers_p50_ms"] = Percentile(headers, 50),
                ["ttft_p50_ms"] = Percentile(firsts, 50),
                ["ttft_p90_ms"] = Percentile(firsts, 90),
                ["ttft_p99_ms"] = Percentile(firsts, 99),
                ["total_p50_ms"] = Percentile(totals, 50),
                ["total_p90_ms"] = Percentile(totals, 90),
                ["total_p99_ms"] = Percentile(totals, 99),
            };
        }
    }

    private static double? Percentile(double[] sorted, int percentile) =>
        sorted.Length == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)], 2);
}

internal sealed record Options(string Url, string Body, string? Token, IReadOnlyList<(string Name, string Value)> Headers, int Concurrency, double Duration, double Warmup, int Open, int WatchPid, double Timeout)
{
    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string key, string fallback) => map.TryGetValue(key, out var value) ? value : fallback;
        double Number(string key, double fallback) => double.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(
            map.TryGetValue("url", out var url) ? url : throw new ArgumentException("--url is required"),
            map.TryGetValue("body", out var body) ? body : throw new ArgumentException("--body is required"),
            map.GetValueOrDefault("token"),
            Get("headers", string.Empty).Split('|', StringSplitOptions.RemoveEmptyEntries)
                .Select(header => header.Split(':', 2))
                .Select(pair => (pair[0].Trim(), pair.Length > 1 ? pair[1].Trim() : string.Empty))
                .ToList(),
            (int)Number("concurrency", 1),
            Number("duration", 10),
            Number("warmup", 0),
            (int)Number("open", 0),
            (int)Number("watch-pid", 0),
            Number("timeout", 120));
    }
}
