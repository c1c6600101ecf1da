using System.Globalization;
using System.Text.RegularExpressions;

namespace Devana.Api.FunctionalTests.Telemetry;

/// <summary>One sample of the Prometheus text exposition format: <c>name{label="value",...} number</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A parsed <c>GET /metrics</c> answer.</summary>
public sealed partial class PrometheusScrape(IReadOnlyList<PrometheusSample> samples, string text)
{
    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    public string Text { get; } = text;

    public static async Task<PrometheusScrape> ReadAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return Parse(text);
    }

    public static PrometheusScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            match.Success.Should().BeTrue($"'{line}' is a Prometheus sample line");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["key"].Value, m => Regex.Unescape(m.Groups["value"].Value), StringComparer.Ordinal);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, value));
        }

        return new PrometheusScrape(samples, text);
    }

    /// <summary>The samples named <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    public IEnumerable<PrometheusSample> Matching(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    /// <summary>The sum of the matching samples (0 when there is none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)"(,|$)""")]
    private static partial Regex LabelPair();
}
