using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Configuration;

/// <summary>
/// The one way Devana reads settings (docs/decisions/ADR-005-conventions.md): a section bound to an
/// <c>&lt;Area&gt;Options</c> class, checked by its <see cref="IValidateOptions{TOptions}"/> when the host starts.
/// </summary>
public static class OptionsSetup
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/>, registers <typeparamref name="TValidator"/>
    /// and validates on start: a bad setting stops start-up with the validator's message, which names the key.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// For a registration that depends on a setting (which services to add at all): binds <paramref name="section"/>
    /// now and runs the same <typeparamref name="TValidator"/>, throwing <see cref="OptionsValidationException"/>
    /// as start-up validation would. Not a second parser: the same class, binder and rules.
    /// </summary>
    public static TOptions GetValidated<TOptions, TValidator>(this IConfiguration configuration, string section)
        where TOptions : class, new()
        where TValidator : IValidateOptions<TOptions>, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        var result = new TValidator().Validate(Options.DefaultName, options);
        return result.Failed
            ? throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures)
            : options;
    }
}
