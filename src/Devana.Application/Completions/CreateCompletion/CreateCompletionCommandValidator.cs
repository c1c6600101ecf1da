using Devana.Application.Common.Exceptions;
using Devana.Domain.Agents;
using Devana.Domain.Conversations;
using Devana.Domain.Conversations.Rules;
using FluentValidation;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>The input rules of docs/api.md#completions that need nothing but the request.</summary>
internal sealed class CreateCompletionCommandValidator : AbstractValidator<CreateCompletionCommand>
{
    public const int MaxChoices = 8;
    public const int MaxStopSequences = 4;
    public const int MaxTools = 128;
    public const int MaxTopLogprobs = 20;
    public const int MaxUserLength = 256;
    public const int MaxToolConfirmations = 64;
    private static readonly string[] s_roles = ["system", "developer", "user", "assistant", "tool"];
    private static readonly string[] s_reasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh"];

    public CreateCompletionCommandValidator()
    {
        RuleFor(c => c.Model)
            .NotEmpty().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("model is required: the id of an agent.");

        RuleFor(c => c.Messages)
            .NotEmpty().When(c => c.ToolConfirmations is null)
            .WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("messages is required and must hold at least one message.");
        RuleForEach(c => c.Messages).ChildRules(message =>
        {
            message.RuleFor(m => m.Role)
                .NotEmpty().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("Each message needs a role.")
                .Must(role => role is null || s_roles.Contains(role, StringComparer.Ordinal))
                .WithErrorCode(ErrorCodes.UnknownParameterValue)
                .WithMessage(m => $"'{m.Role}' is not a supported role; use system, developer, user, assistant or tool.");
            message.RuleFor(m => m.Content)
                .NotNull().Unless(m => m.Role == "assistant" && m.ToolCalls is { Count: > 0 })
                .WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("Each message needs content (an assistant message with tool_calls may omit it).");
            message.RuleFor(m => m.Content)
                .NotEmpty().When(m => m.Role == "user" && m.Content is not null && m.Images is not { Count: > 0 })
                .WithErrorCode(ErrorCodes.InvalidValue)
                .WithMessage("A user message needs content: text, or at least one content part.");
            message.RuleFor(m => m).SetValidator(Group<CompletionMessage>(MessagePartRules))
                .When(m => m.ToolCalls is not null || m.ToolCallId is not null || m.Images is not null || m.Role == "tool");
        });
        RuleFor(c => c.Messages)
            .Must(messages => Enum.TryParse<MessageRole>(messages![^1].Role, ignoreCase: true, out var role) && LastTurnMustBeFromUserRule.MayEndWith(role))
            .When(c => c.Messages is { Count: > 0 } && c.Messages.All(m => s_roles.Contains(m.Role ?? string.Empty, StringComparer.Ordinal)))
            .WithMessage(LastTurnMustBeFromUserRule.Text);

        // The rules of fields most requests leave out run in groups, each behind one check that any of its fields is
        // there: FluentValidation runs every rule it holds on every request, and these are most of them (about 4% of
        // a completion's CPU when all ran; docs/performance.md, eleventh session). The groups keep the rules' order,
        // so the first failure, whose code and param the error names, is the one it was.
        RuleFor(c => c).SetValidator(Group<CreateCompletionCommand>(ToolRules))
            .When(c => c.Tools is not null || c.ToolChoice is not null || c.ParallelToolCalls is not null);
        RuleFor(c => c).SetValidator(Group<CreateCompletionCommand>(SamplingRules))
            .When(c => c.FrequencyPenalty is not null || c.PresencePenalty is not null || c.TopLogprobs is not null || c.ReasoningEffort is not null
                || c.User is not null || c.Temperature is not null || c.TopP is not null || c.MaxTokens is not null || c.N is not null);
        RuleFor(c => c).SetValidator(Group<CreateCompletionCommand>(ContextRules))
            .When(c => c.Stop is not null || c.Lang is not null || c.Files is not null || c.Metadata is not null || c.ConversationId is not null
                || c.ResponseFormat is not null);
        RuleFor(c => c).SetValidator(Group<CreateCompletionCommand>(ToolConfirmationRules))
            .When(c => c.ToolConfirmations is not null);
        RuleFor(c => c.IncludeUsage)
            .Equal(false).When(c => !c.Stream)
            .OverridePropertyName("StreamOptions")
            .WithMessage("stream_options is only allowed when stream is true.");
    }

    private static InlineValidator<T> Group<T>(Action<InlineValidator<T>> rules)
    {
        var group = new InlineValidator<T>();
        rules(group);
        return group;
    }

    /// <summary>A message's tool calls, tool call id and images: checked when it has any, or is a tool message.</summary>
    private static void MessagePartRules(InlineValidator<CompletionMessage> message)
    {
        message.RuleFor(m => m.ToolCalls)
            .Null().When(m => m.Role != "assistant")
            .WithMessage("Only assistant messages carry tool_calls.");
        message.RuleForEach(m => m.ToolCalls).ChildRules(ToolCallRules);
        message.RuleFor(m => m.ToolCallId)
            .NotEmpty().When(m => m.Role == "tool")
            .WithErrorCode(ErrorCodes.MissingRequiredParameter)
            .WithMessage("A tool message needs tool_call_id: the id of the tool call it answers.");
        message.RuleFor(m => m.ToolCallId)
            .Null().When(m => m.Role != "tool")
            .WithMessage("Only tool messages carry tool_call_id.");
        message.RuleFor(m => m.Images)
            .Null().When(m => m.Role != "user")
            .OverridePropertyName("Content")
            .WithMessage("Only user messages may hold image_url parts.");
        message.RuleForEach(m => m.Images).ChildRules(image => image.RuleFor(i => i.Url)
            .Must(CompletionImages.IsAcceptedUrl)
            .OverridePropertyName("ImageUrl.Url")
            .WithMessage("image_url.url must be an https URL or a data:image/(png|jpeg|gif|webp);base64,… URL."))
            .OverridePropertyName("Content");
    }

    /// <summary><c>tools</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c> (docs/tools.md).</summary>
    private static void ToolRules(InlineValidator<CreateCompletionCommand> rules)
    {
        rules.RuleFor(c => c.Tools)
            .Must(tools => tools!.Count <= MaxTools).When(c => c.Tools is not null)
            .WithMessage($"tools holds at most {MaxTools} functions.");
        rules.RuleFor(c => c.Tools)
            .Must(tools => tools!.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() == tools!.Count)
            .When(c => c.Tools is not null && c.Tools.All(t => t.Name is not null))
            .WithMessage("Each function in tools needs a name of its own.");
        rules.RuleForEach(c => c.Tools).ChildRules(FunctionRules);
        rules.RuleFor(c => c.ToolChoice)
            .Must(choice => choice!.Mode == CompletionToolChoice.None)
            .When(c => c.ToolChoice is not null && c.Tools is not { Count: > 0 })
            .WithMessage("tool_choice is only allowed when tools are given.");
        rules.RuleFor(c => c.ToolChoice!.FunctionName)
            .Must((c, name) => c.Tools!.Any(t => t.Name == name))
            .When(c => c.ToolChoice is { Mode: CompletionToolChoice.Function } && c.Tools is { Count: > 0 })
            .OverridePropertyName("ToolChoice.Function.Name")
            .WithMessage(c => $"tool_choice names the function '{c.ToolChoice!.FunctionName}', which is not in tools.");
        rules.RuleFor(c => c.ParallelToolCalls)
            .Null().When(c => c.Tools is not { Count: > 0 })
            .WithMessage("parallel_tool_calls is only allowed when tools are given.");
    }

    /// <summary>The sampling and output settings.</summary>
    private static void SamplingRules(InlineValidator<CreateCompletionCommand> rules)
    {
        rules.RuleFor(c => c.FrequencyPenalty).InclusiveBetween(-2, 2).WithMessage("frequency_penalty must be between -2 and 2.");
        rules.RuleFor(c => c.PresencePenalty).InclusiveBetween(-2, 2).WithMessage("presence_penalty must be between -2 and 2.");
        rules.RuleFor(c => c.TopLogprobs).InclusiveBetween(0, MaxTopLogprobs).WithMessage($"top_logprobs must be between 0 and {MaxTopLogprobs}.");
        rules.RuleFor(c => c.TopLogprobs)
            .Null().When(c => c.Logprobs != true)
            .WithMessage("top_logprobs needs logprobs: true.");
        rules.RuleFor(c => c.ReasoningEffort)
            .Must(effort => s_reasoningEfforts.Contains(effort, StringComparer.Ordinal))
            .When(c => c.ReasoningEffort is not null)
            .WithErrorCode(ErrorCodes.UnknownParameterValue)
            .WithMessage(c => $"reasoning_effort '{c.ReasoningEffort}' is not one of {string.Join(", ", s_reasoningEfforts)}.");
        rules.RuleFor(c => c.User)
            .NotEmpty().MaximumLength(MaxUserLength).When(c => c.User is not null)
            .WithMessage($"user is your end user's id: 1 to {MaxUserLength} characters.");
        rules.RuleFor(c => c.Temperature).InclusiveBetween(0, 1).WithMessage("temperature must be between 0 and 1.");
        rules.RuleFor(c => c.TopP).InclusiveBetween(0, 1).WithMessage("top_p must be between 0 and 1.");
        rules.RuleFor(c => c.MaxTokens).GreaterThanOrEqualTo(1).WithMessage("max_tokens must be at least 1.");
        rules.RuleFor(c => c.N).InclusiveBetween(1, MaxChoices).WithMessage($"n must be between 1 and {MaxChoices}.");
    }

    /// <summary>Stop sequences, language, files, metadata, the conversation and the response format.</summary>
    private static void ContextRules(InlineValidator<CreateCompletionCommand> rules)
    {
        rules.RuleFor(c => c.Stop)
            .Must(stop => stop!.Count <= MaxStopSequences).When(c => c.Stop is not null)
            .WithMessage($"stop holds at most {MaxStopSequences} sequences.");
        rules.RuleForEach(c => c.Stop).NotEmpty().WithMessage("A stop sequence cannot be empty.");
        rules.RuleFor(c => c.Lang)
            .Must(lang => LanguageCode.All.Contains(lang!.ToLowerInvariant()))
            .When(c => c.Lang is not null)
            .WithMessage(c => $"'{c.Lang}' is not an ISO 639-1 language code (e.g. en, fr, de).");
        rules.RuleFor(c => c.Files)
            .Must(files => files!.All(f => !string.IsNullOrWhiteSpace(f)))
            .When(c => c.Files is not null)
            .WithMessage("files holds file ids (file_…); an empty id is not one.");
        rules.RuleFor(c => c.Metadata)
            .Must(metadata => !new MetadataMustBeSmallRule(metadata!).IsBroken())
            .When(c => c.Metadata is not null)
            .WithMessage(c => new MetadataMustBeSmallRule(c.Metadata!).Message);
        rules.RuleFor(c => c.ConversationId)
            .NotEmpty().When(c => c.ConversationId is not null)
            .WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage("conversation_id names one of your conversations (conv_…); leave it out to start a new one.");
        rules.RuleFor(c => c.ResponseFormat)
            .NotEmpty().When(c => c.ResponseFormat is not null)
            .OverridePropertyName("ResponseFormat.Type")
            .WithErrorCode(ErrorCodes.MissingRequiredParameter)
            .WithMessage("response_format.type is required: text, json_object or json_schema.");
        rules.RuleFor(c => c.ResponseFormat)
            .Must(format => format is "text" or "json_object" or "json_schema")
            .When(c => !string.IsNullOrEmpty(c.ResponseFormat))
            .WithErrorCode(ErrorCodes.UnknownParameterValue)
            .WithMessage(c => $"response_format.type '{c.ResponseFormat}' is not supported; use text, json_object or json_schema.");
        rules.RuleFor(c => c.JsonSchema)
            .NotNull().When(c => c.ResponseFormat == "json_schema")
            .OverridePropertyName("ResponseFormat.JsonSchema")
            .WithErrorCode(ErrorCodes.MissingRequiredParameter)
            .WithMessage("response_format.json_schema is required when response_format.type is json_schema.");
        rules.RuleFor(c => c.JsonSchema!.Name)
            .Must(name => name is not null && ToolSchemas.IsValidName(name))
            .When(c => c.ResponseFormat == "json_schema" && c.JsonSchema is not null)
            .OverridePropertyName("ResponseFormat.JsonSchema.Name")
            .WithMessage("response_format.json_schema.name is required: 1 to 64 letters, digits, '_' or '-'.");
        rules.RuleFor(c => c.JsonSchema!.Schema)
            .Must(schema => ToolSchemas.ProblemOf(schema) is null)
            .When(c => c.ResponseFormat == "json_schema" && c.JsonSchema is not null)
            .OverridePropertyName("ResponseFormat.JsonSchema.Schema")
            .WithMessage(c => $"response_format.json_schema.schema is not a usable JSON schema: {ToolSchemas.ProblemOf(c.JsonSchema!.Schema)}");
    }

    /// <summary><c>tool_confirmations</c> (docs/tools.md#confirmation): the next request of a conversation whose answer stopped for them, and nothing else.</summary>
    private static void ToolConfirmationRules(InlineValidator<CreateCompletionCommand> rules)
    {
        rules.RuleFor(c => c.ToolConfirmations)
            .NotEmpty().When(c => c.ToolConfirmations is not null)
            .WithMessage("tool_confirmations holds the caller's word on each call waiting for it: at least one {\"call_id\", \"approve\"}.");
        rules.RuleFor(c => c.ToolConfirmations)
            .Must(confirmations => confirmations!.Count <= MaxToolConfirmations).When(c => c.ToolConfirmations is not null)
            .WithMessage($"tool_confirmations holds at most {MaxToolConfirmations} items.");
        rules.RuleFor(c => c.ToolConfirmations)
            .Must(confirmations => confirmations!.Select(c => c.CallId).Distinct(StringComparer.Ordinal).Count() == confirmations!.Count)
            .When(c => c.ToolConfirmations is not null && c.ToolConfirmations.All(t => !string.IsNullOrEmpty(t.CallId)))
            .WithMessage("tool_confirmations names each call once.");
        rules.RuleForEach(c => c.ToolConfirmations).ChildRules(confirmation =>
        {
            confirmation.RuleFor(c => c.CallId)
                .NotEmpty().WithErrorCode(ErrorCodes.MissingRequiredParameter)
                .WithMessage("Each tool confirmation needs call_id: the id of a call in devana.pending_tool_calls.");
            confirmation.RuleFor(c => c.Approve)
                .NotNull().WithErrorCode(ErrorCodes.MissingRequiredParameter)
                .WithMessage("Each tool confirmation needs approve: true to run the call, false to refuse it.");
        });
        rules.RuleFor(c => c.ConversationId)
            .NotEmpty().When(c => c.ToolConfirmations is not null)
            .WithErrorCode(ErrorCodes.MissingRequiredParameter)
            .WithMessage("tool_confirmations answers calls of a conversation: conversation_id must name it.");
        rules.RuleFor(c => c.Messages)
            .Empty().When(c => c.ToolConfirmations is not null)
            .WithMessage("With tool_confirmations, messages must be empty or left out: the conversation goes on from the calls it confirms. Send a new message in the request after.");
    }

    private static void ToolCallRules(InlineValidator<CompletionToolCall> call)
    {
        call.RuleFor(c => c.Id).NotEmpty().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("Each tool call needs an id.");
        call.RuleFor(c => c.Type)
            .Must(type => type is null or "function").WithErrorCode(ErrorCodes.UnknownParameterValue)
            .WithMessage(c => $"Tool call type '{c.Type}' is not supported; use function.");
        call.RuleFor(c => c.Name)
            .NotEmpty().OverridePropertyName("Function.Name").WithErrorCode(ErrorCodes.MissingRequiredParameter)
            .WithMessage("Each tool call needs function.name.");
    }

    private static void FunctionRules(InlineValidator<CompletionTool> tool)
    {
        tool.RuleFor(t => t.Type)
            .Must(type => type == "function").WithErrorCode(ErrorCodes.UnknownParameterValue)
            .WithMessage(t => $"Tool type '{t.Type}' is not supported; use function.");
        tool.RuleFor(t => t.Name)
            .Must(name => name is not null && ToolSchemas.IsValidName(name))
            .OverridePropertyName("Function.Name")
            .WithMessage("function.name is required: 1 to 64 letters, digits, '_' or '-'.");
        tool.RuleFor(t => t.Parameters)
            .Must(parameters => ToolSchemas.ProblemOf(parameters) is null).When(t => t.Parameters is not null)
            .OverridePropertyName("Function.Parameters")
            .WithMessage(t => $"function.parameters is not a usable JSON schema: {ToolSchemas.ProblemOf(t.Parameters)}");
    }
}
