using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Devana.Infrastructure.Identity;

/// <summary>Adds a filter of Devana's to some of OpenIddict's own token validation handlers.</summary>
internal static class BuiltInValidationHandlers
{
    /// <summary>
    /// Gives each of <paramref name="handlers"/> the filter <typeparamref name="TFilter"/> as well as its own, in its
    /// place in the options' list. The descriptors are swapped rather than removed and added again:
    /// RemoveEventHandler removes by handler type in a PostConfigure, which would also remove the re-added handler,
    /// silently. Startup fails, naming <paramref name="purpose"/>, when a handler is missing (another OpenIddict
    /// version).
    /// </summary>
    public static void AddFilter<TFilter>(OpenIddictValidationBuilder validation, string purpose, params Type[] handlers)
        where TFilter : class, IOpenIddictValidationHandlerFilter<ValidateTokenContext>
    {
        validation.Services.TryAddSingleton<TFilter>();
        validation.Services.PostConfigure<OpenIddictValidationOptions>(options =>
        {
            var found = 0;
            for (var i = 0; i < options.Handlers.Count; i++)
            {
                var descriptor = options.Handlers[i];
                if (handlers.Contains(descriptor.ServiceDescriptor.ServiceType) && !descriptor.FilterTypes.Contains(typeof(TFilter)))
                {
                    options.Handlers[i] = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
                        .Import(descriptor)
                        .AddFilter<TFilter>()
                        .Build();
                    found++;
                }
            }

            if (found != handlers.Length)
            {
                throw new InvalidOperationException($"{purpose} expected OpenIddict's validation handlers {string.Join(", ", handlers.Select(t => t.Name))}, and found {found} of them: check it against this OpenIddict version.");
            }
        });
    }
}
