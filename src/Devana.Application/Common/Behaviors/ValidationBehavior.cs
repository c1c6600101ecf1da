using System.Collections.Concurrent;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using ValidationException = Devana.Application.Common.Exceptions.ValidationException;

namespace Devana.Application.Common.Behaviors;

/// <summary>
/// Runs every validator of the request and throws the Application's <see cref="ValidationException"/> with
/// all failures, before the handler runs.
/// </summary>
/// <remarks>
/// A validator runs on FluentValidation's synchronous path, which is cheaper: the asynchronous one builds a
/// state machine per rule, about half of the validation's cost on the completion request (docs/performance.md).
/// A validator with asynchronous rules refuses that path (<see cref="AsyncValidatorInvokedSynchronouslyException"/>);
/// it is then run asynchronously, from then on, with a fresh context.
/// </remarks>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly ConcurrentDictionary<Type, bool> s_asynchronous = new();

    private readonly IValidator<TRequest>[] _validators = validators.ToArray();

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (_validators.Length == 0)
        {
            return await next();
        }

        var failures = new List<ValidationFailure>();
        foreach (var validator in _validators)
        {
            var result = await ValidateAsync(validator, request, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        return await next();
    }

    private static async ValueTask<ValidationResult> ValidateAsync(IValidator<TRequest> validator, TRequest request, CancellationToken cancellationToken)
    {
        if (!s_asynchronous.ContainsKey(validator.GetType()))
        {
            try
            {
                return validator.Validate(new ValidationContext<TRequest>(request));
            }
            catch (AsyncValidatorInvokedSynchronouslyException)
            {
                s_asynchronous.TryAdd(validator.GetType(), true);
            }
        }

        return await validator.ValidateAsync(new ValidationContext<TRequest>(request), cancellationToken);
    }
}
