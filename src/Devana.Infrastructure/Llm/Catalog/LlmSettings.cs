using System.Globalization;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm.Clients.AzureOpenAI;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Llm.Catalog;

/// <summary>
/// <c>Devana:Llm</c> (docs/llm-providers.md), read and checked once at start-up. Every mistake stops start-up
/// with an <see cref="InvalidOperationException"/> whose message names the exact configuration key.
/// </summary>
internal sealed record LlmSettings(string DefaultModel, IReadOnlyDictionary<string, LlmProviderSettings> Providers, IReadOnlyList<LlmModel> Models)
{
    public const string SectionKey = "Devana:Llm";
    public const string DefaultModelKey = SectionKey + ":DefaultModel";
    public const string ProvidersKey = SectionKey + ":Providers";
    public const string ModelsKey = SectionKey + ":Models";

    public const string EchoName = "echo";
    public const int DefaultContextWindow = 128_000;
    public const int DefaultMaxOutputTokens = 4_096;
    public const double DefaultTimeoutSeconds = 100;
    public const int DefaultMaxRetries = 2;
    public const int DefaultRetryDelayMilliseconds = 500;

    /// <summary>
    /// The <c>anthropic-version</c> values Anthropic's API reference lists for the Messages API ("Versions").
    /// 2023-06-01 is the default because 2026-10-21 refuses temperature and top_p (docs/llm-providers.md).
    /// </summary>
    public static readonly IReadOnlyList<string> AnthropicVersions = ["2023-06-01", "2026-10-21"];

    private const int MaxRetriesLimit = 10;
    private const double TimeoutSecondsLimit = 3_600;

    private static readonly Uri s_openAIBaseUrl = new("https://api.openai.com/v1");
    private static readonly Uri s_anthropicBaseUrl = new("https://api.anthropic.com");

    public static LlmSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var providers = ReadProviders(configuration.GetSection(ProvidersKey));
        var models = ReadModels(configuration.GetSection(ModelsKey), providers);

        var defaultModel = configuration[DefaultModelKey];
        defaultModel = string.IsNullOrWhiteSpace(defaultModel) ? EchoName : defaultModel.Trim();
        if (!models.Any(m => m.Id == defaultModel))
        {
            throw new InvalidOperationException(
                $"Configuration key '{DefaultModelKey}' is '{defaultModel}', which is not the Id of a model under '{ModelsKey}'. " +
                $"Set it to one of: {string.Join(", ", models.Select(m => $"'{m.Id}'"))}.");
        }

        return new LlmSettings(defaultModel, providers, models);
    }

    private static Dictionary<string, LlmProviderSettings> ReadProviders(IConfigurationSection section)
    {
        // Configuration keys are case-insensitive, so provider names are too.
        var providers = new Dictionary<string, LlmProviderSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in section.GetChildren())
        {
            var provider = ReadProvider(entry);
            providers.Add(provider.Name, provider);
        }

        // The built-in offline provider is always there unless a provider of that name is configured.
        providers.TryAdd(EchoName, new LlmProviderSettings(
            EchoName, LlmProviderType.Echo, null, null, TimeSpan.FromSeconds(DefaultTimeoutSeconds), 0, TimeSpan.Zero));
        return providers;
    }

    private static LlmProviderSettings ReadProvider(IConfigurationSection entry)
    {
        var typeKey = $"{entry.Path}:Type";
        var rawType = entry["Type"];
        if (string.IsNullOrWhiteSpace(rawType))
        {
            throw new InvalidOperationException(
                $"Configuration key '{typeKey}' is required. Allowed values: {AllowedTypes}.");
        }

        var typeName = Enum.GetNames<LlmProviderType>().FirstOrDefault(n => string.Equals(n, rawType.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                $"Configuration key '{typeKey}' has the value '{rawType}', which is not a provider type. Allowed values: {AllowedTypes}.");
        var type = Enum.Parse<LlmProviderType>(typeName);

        var timeout = ReadNumber(entry, "TimeoutSeconds", DefaultTimeoutSeconds, min: 0.01, max: TimeoutSecondsLimit);
        var maxRetries = (int)ReadNumber(entry, "MaxRetries", DefaultMaxRetries, min: 0, max: MaxRetriesLimit, integer: true);
        var retryDelay = ReadNumber(entry, "RetryDelayMilliseconds", DefaultRetryDelayMilliseconds, min: 0, max: 60_000, integer: true);
        var apiKey = entry["ApiKey"];
        return new LlmProviderSettings(
            entry.Key,
            type,
            ReadBaseUrl(entry, type),
            string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim(),
            TimeSpan.FromSeconds(timeout),
            maxRetries,
            TimeSpan.FromMilliseconds(retryDelay))
        {
            ApiVersion = ReadApiVersion(entry, type),
        };
    }

    private static string? ReadApiVersion(IConfigurationSection entry, LlmProviderType type)
    {
        var key = $"{entry.Path}:ApiVersion";
        var raw = entry["ApiVersion"]?.Trim();
        switch (type)
        {
            case LlmProviderType.Anthropic:
                if (string.IsNullOrEmpty(raw))
                {
                    return AnthropicVersions[0];
                }

                return AnthropicVersions.Contains(raw, StringComparer.Ordinal)
                    ? raw
                    : throw new InvalidOperationException(
                        $"Configuration key '{key}' has the value '{raw}', which is not an anthropic-version of Anthropic's API reference. " +
                        $"Allowed values: {string.Join(", ", AnthropicVersions.Select(v => $"'{v}'"))}.");
            case LlmProviderType.AzureOpenAI:
                if (string.IsNullOrEmpty(raw))
                {
                    return AzureOpenAIChatClientFactory.DefaultVersion;
                }

                return AzureOpenAIChatClientFactory.Versions.ContainsKey(raw)
                    ? raw
                    : throw new InvalidOperationException(
                        $"Configuration key '{key}' has the value '{raw}', which is not an Azure OpenAI api-version this version of Devana can send. " +
                        $"Allowed values: {string.Join(", ", AzureOpenAIChatClientFactory.Versions.Keys.Order(StringComparer.Ordinal).Select(v => $"'{v}'"))}.");
            default:
                return string.IsNullOrEmpty(raw)
                    ? null
                    : throw new InvalidOperationException(
                        $"Configuration key '{key}' is set, but a provider of type '{type}' has no API version; remove the key.");
        }
    }

    private static Uri? ReadBaseUrl(IConfigurationSection entry, LlmProviderType type)
    {
        var key = $"{entry.Path}:BaseUrl";
        var raw = entry["BaseUrl"];
        if (type == LlmProviderType.Echo)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(raw))
        {
            return type switch
            {
                LlmProviderType.OpenAI => s_openAIBaseUrl,
                LlmProviderType.Anthropic => s_anthropicBaseUrl,
                LlmProviderType.AzureOpenAI => throw new InvalidOperationException(
                    $"Configuration key '{key}' is required for a provider of type '{type}': the resource's endpoint, e.g. 'https://my-resource.openai.azure.com'."),
                _ => throw new InvalidOperationException(
                    $"Configuration key '{key}' is required for a provider of type '{type}', e.g. 'http://localhost:11434'."),
            };
        }

        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException(
                $"Configuration key '{key}' has the value '{raw}', which is not an absolute http or https URL.");
        }

        return url;
    }

    private static List<LlmModel> ReadModels(IConfigurationSection section, Dictionary<string, LlmProviderSettings> providers)
    {
        var models = new List<LlmModel>();
        foreach (var entry in section.GetChildren())
        {
            var idKey = $"{entry.Path}:Id";
            var id = entry["Id"];
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new InvalidOperationException($"Configuration key '{idKey}' is required: the model id callers use.");
            }

            id = id.Trim();
            if (models.Any(m => m.Id == id))
            {
                throw new InvalidOperationException(
                    $"Configuration key '{idKey}' repeats the model id '{id}'; model ids must be unique.");
            }

            var providerKey = $"{entry.Path}:Provider";
            var providerName = entry["Provider"];
            if (string.IsNullOrWhiteSpace(providerName))
            {
                throw new InvalidOperationException(
                    $"Configuration key '{providerKey}' is required: the name of a provider under '{ProvidersKey}' ({ProviderNames(providers)}).");
            }

            if (!providers.TryGetValue(providerName.Trim(), out var provider))
            {
                throw new InvalidOperationException(
                    $"Configuration key '{providerKey}' names the provider '{providerName}', which is not under '{ProvidersKey}'. Known providers: {ProviderNames(providers)}.");
            }

            var upstreamModel = entry["UpstreamModel"];
            var contextWindow = (int)ReadNumber(entry, "ContextWindow", DefaultContextWindow, min: 1, max: int.MaxValue, integer: true);
            var maxOutputTokens = (int)ReadNumber(entry, "MaxOutputTokens", Math.Min(DefaultMaxOutputTokens, contextWindow), min: 1, max: int.MaxValue, integer: true);
            if (maxOutputTokens > contextWindow)
            {
                throw new InvalidOperationException(
                    $"Configuration key '{entry.Path}:MaxOutputTokens' is {maxOutputTokens}, more than the model's ContextWindow ({contextWindow}).");
            }

            models.Add(new LlmModel(
                id,
                provider.Name,
                provider.Type,
                string.IsNullOrWhiteSpace(upstreamModel) ? id : upstreamModel.Trim(),
                contextWindow,
                maxOutputTokens)
            {
                Capabilities = ReadCapabilities(entry, provider.Type),
            });
        }

        if (models.Count == 0)
        {
            var echo = providers[EchoName];
            models.Add(new LlmModel(EchoName, echo.Name, echo.Type, EchoName, DefaultContextWindow, DefaultMaxOutputTokens) { Capabilities = LlmCapabilities.All });
        }

        return models;
    }

    /// <summary>
    /// <c>Capabilities</c>: an array (<c>Capabilities:0</c>, …) or a comma-separated string of
    /// <see cref="LlmCapabilities.All"/>. Not set: none, except for the echo LLM, which takes both.
    /// </summary>
    private static List<string> ReadCapabilities(IConfigurationSection entry, LlmProviderType type)
    {
        var section = entry.GetSection("Capabilities");
        var values = section.Value is { } single
            ? single.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : section.GetChildren().Select(c => c.Value?.Trim() ?? string.Empty).Where(v => v.Length > 0).ToArray();
        if (!section.Exists())
        {
            return type == LlmProviderType.Echo ? [.. LlmCapabilities.All] : [];
        }

        var capabilities = new List<string>();
        foreach (var value in values)
        {
            var capability = value.ToLowerInvariant();
            if (!LlmCapabilities.All.Contains(capability, StringComparer.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Configuration key '{section.Path}' holds '{value}', which is not a capability. Allowed values: {string.Join(", ", LlmCapabilities.All)}.");
            }

            if (!capabilities.Contains(capability, StringComparer.Ordinal))
            {
                capabilities.Add(capability);
            }
        }

        return capabilities;
    }

    private static double ReadNumber(IConfigurationSection entry, string name, double defaultValue, double min, double max, bool integer = false)
    {
        var raw = entry[name];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        double value;
        bool ok;
        if (integer)
        {
            ok = int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole);
            value = whole;
        }
        else
        {
            ok = double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        if (!ok || double.IsNaN(value) || value < min || value > max)
        {
            var kind = integer ? "a whole number" : "a number";
            var range = max >= int.MaxValue
                ? $"of at least {min.ToString(CultureInfo.InvariantCulture)}"
                : $"from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
            throw new InvalidOperationException(
                $"Configuration key '{entry.Path}:{name}' has the value '{raw}'; it must be {kind} {range}.");
        }

        return value;
    }

    private static string AllowedTypes => string.Join(", ", Enum.GetNames<LlmProviderType>().Select(n => $"'{n}'"));

    private static string ProviderNames(Dictionary<string, LlmProviderSettings> providers) =>
        string.Join(", ", providers.Keys.Order(StringComparer.OrdinalIgnoreCase).Select(n => $"'{n}'"));
}
