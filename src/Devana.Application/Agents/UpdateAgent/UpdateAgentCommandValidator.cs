using Devana.Application.Common.Exceptions;
using Devana.Application.Llm.Common;
using Devana.Application.Tools;
using FluentValidation;
using FluentValidation.Results;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.UpdateAgent;

/// <summary>
/// The settings' own rules (<see cref="AgentSettingsValidator"/>) for the fields the body holds (the others
/// are the agent's, valid already), and what only a PATCH can do wrong: clear a setting that has no empty value.
/// </summary>
internal sealed class UpdateAgentCommandValidator : AbstractValidator<UpdateAgentCommand>
{
    private readonly AgentSettingsValidator _settings;

    public UpdateAgentCommandValidator(ILlmCatalog catalog, IToolHostPolicy hosts)
    {
        _settings = new AgentSettingsValidator(catalog, hosts);
        RuleFor(c => c.Name).NotNull().When(c => c.IsPresent(nameof(c.Name)))
            .WithErrorCode(ErrorCodes.InvalidValue).WithMessage("name cannot be null.");
        RuleFor(c => c.Visibility).NotNull().When(c => c.IsPresent(nameof(c.Visibility)))
            .WithErrorCode(ErrorCodes.InvalidValue).WithMessage("visibility cannot be null.");
    }

    public override ValidationResult Validate(ValidationContext<UpdateAgentCommand> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Combine(base.Validate(context), _settings.Validate(context.InstanceToValidate), context.InstanceToValidate);
    }

    public override async Task<ValidationResult> ValidateAsync(ValidationContext<UpdateAgentCommand> context, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Combine(await base.ValidateAsync(context, cancellation), await _settings.ValidateAsync(context.InstanceToValidate, cancellation), context.InstanceToValidate);
    }

    private static ValidationResult Combine(ValidationResult own, ValidationResult settings, UpdateAgentCommand patch) =>
        new(own.Errors.Concat(settings.Errors.Where(e => patch.IsPresent(TopLevel(e.PropertyName)))));

    /// <summary><c>Tools[0].Url</c> → <c>Tools</c>.</summary>
    private static string TopLevel(string propertyName) => propertyName.Split('.', '[')[0];
}
