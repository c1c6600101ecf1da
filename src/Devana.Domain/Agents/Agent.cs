using System.Linq.Expressions;
using Devana.Domain.Agents.Rules;
using Devana.Domain.Common;

namespace Devana.Domain.Agents;

/// <summary>
/// An agent: what callers name as <c>model</c> in completions. It lives in one workspace, where its id
/// is unique (the identity is the pair <see cref="WorkspaceId"/>, <see cref="Id"/>), and belongs to
/// the principal that created it. Deleting it is soft: it leaves every list and lookup, but the row
/// stays so that its conversations remain readable and its id is not handed out again.
/// </summary>
public sealed class Agent : Entity, IOwned
{
    private Agent()
    {
        // For EF Core.
    }

    public string WorkspaceId { get; private set; } = null!;

    /// <summary><c>agt_…</c> when the server chose it, else the slug given at creation.</summary>
    public string Id { get; private set; } = null!;

    /// <summary>The principal (<c>usr_…</c> or <c>cli_…</c>) that created the agent.</summary>
    public string OwnerId { get; private set; } = null!;

    public string Name { get; private set; } = null!;

    public string? Description { get; private set; }

    public string? Instructions { get; private set; }

    /// <summary>The default LLM id; null follows the catalog's default.</summary>
    public string? Model { get; private set; }

    /// <summary>Empty: every catalog model may be picked.</summary>
    public IReadOnlyList<string> AllowedModels { get; private set; } = [];

    /// <summary>Tried in order when the request's LLM fails before its answer begins; empty: no fallback.</summary>
    public IReadOnlyList<string> FallbackModels { get; private set; } = [];

    public double? Temperature { get; private set; }

    public double? TopP { get; private set; }

    public int? MaxTokens { get; private set; }

    public LanguageCode? Lang { get; private set; }

    public string? WelcomeMessage { get; private set; }

    public AgentVisibility Visibility { get; private set; }

    /// <summary>Knowledge files (<c>file_…</c>); the Files feature fills them.</summary>
    public IReadOnlyList<string> FileIds { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Metadata { get; private set; } = new Dictionary<string, string>();

    /// <summary>The tools Devana runs for the agent (docs/tools.md); header values are stored protected.</summary>
    public IReadOnlyList<AgentTool> Tools { get; private set; } = [];

    /// <summary>MCP servers whose tools the agent may use (docs/tools.md); header values are stored protected.</summary>
    public IReadOnlyList<AgentMcpServer> McpServers { get; private set; } = [];

    /// <summary>How many rounds of tool calls one completion may run; null means <see cref="DefaultMaxToolRounds"/>.</summary>
    public int? MaxToolRounds { get; private set; }

    public const int DefaultMaxToolRounds = 5;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>
    /// Creates an agent owned by <paramref name="owner"/> in the owner's workspace, with the slug
    /// <paramref name="id"/> the caller chose, or a new <c>agt_…</c> id when it is null.
    /// </summary>
    /// <exception cref="BusinessRuleValidationException">The id or a setting breaks a rule.</exception>
    public static Agent Create(string? id, Actor owner, AgentDefinition definition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(definition);
        if (id is not null)
        {
            CheckRule(new AgentIdMustBeASlugRule(id));
        }

        var agent = new Agent
        {
            WorkspaceId = owner.WorkspaceId,
            Id = id ?? PrefixedId.New(IdPrefixes.Agent),
            OwnerId = owner.PrincipalId,
            CreatedAt = now,
        };
        agent.Apply(definition, now);
        return agent;
    }

    /// <summary>
    /// Changes the settings: <paramref name="change"/> gets the current ones and returns the new whole
    /// (PUT ignores them; PATCH lays its fields over them). Access is checked first, so someone who may not
    /// change the agent learns nothing from its rules, nor from anything <paramref name="change"/> checks.
    /// </summary>
    /// <exception cref="BusinessRuleValidationException">The actor may not change the agent, or a setting breaks a rule.</exception>
    public void Update(Actor actor, Func<AgentDefinition, AgentDefinition> change, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        EnsureCanBeChangedBy(actor);
        Apply(change(ToDefinition()), now);
    }

    /// <summary>Soft-deletes the agent; deleting it again changes nothing.</summary>
    /// <exception cref="BusinessRuleValidationException">The actor may not change the agent.</exception>
    public void Delete(Actor actor, DateTimeOffset now)
    {
        EnsureCanBeChangedBy(actor);
        if (IsDeleted)
        {
            return;
        }

        DeletedAt = now;
        UpdatedAt = now;
    }

    /// <summary>Adds knowledge files (their ids; the caller checked they are files it may attach); ids it holds already are kept once.</summary>
    /// <exception cref="BusinessRuleValidationException">The actor may not change the agent, or it would hold too many files.</exception>
    public void AttachFiles(IEnumerable<string> fileIds, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fileIds);
        EnsureCanBeChangedBy(actor);
        var merged = FileIds.Concat(fileIds).Distinct(StringComparer.Ordinal).ToList();
        CheckRule(new AgentMayHoldAtMost100KnowledgeFilesRule(merged.Count));
        FileIds = merged;
        UpdatedAt = now;
    }

    /// <summary>Removes a knowledge file; false when the agent does not hold it.</summary>
    /// <exception cref="BusinessRuleValidationException">The actor may not change the agent.</exception>
    public bool DetachFile(string fileId, Actor actor, DateTimeOffset now)
    {
        EnsureCanBeChangedBy(actor);
        return RemoveFile(fileId, now);
    }

    /// <summary>
    /// A knowledge file was deleted (by its owner, who need not be able to change the agent): it leaves the
    /// agent's knowledge. False when the agent did not hold it.
    /// </summary>
    public bool ForgetDeletedFile(string fileId, DateTimeOffset now) => RemoveFile(fileId, now);

    private bool RemoveFile(string fileId, DateTimeOffset now)
    {
        if (!FileIds.Contains(fileId, StringComparer.Ordinal))
        {
            return false;
        }

        FileIds = FileIds.Where(id => id != fileId).ToList();
        UpdatedAt = now;
        return true;
    }

    /// <summary>Whether the actor may change it (<see cref="AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule"/>).</summary>
    public bool CanBeChangedBy(Actor actor) => AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule.Access.Allows(this, actor);

    /// <exception cref="BusinessRuleValidationException">An <see cref="RuleViolationKind.AccessDenied"/> rule.</exception>
    public void EnsureCanBeUsedBy(Actor actor) => CheckRule(new AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule(this, actor));

    /// <exception cref="BusinessRuleValidationException">An <see cref="RuleViolationKind.AccessDenied"/> rule.</exception>
    public void EnsureCanBeViewedBy(Actor actor) => CheckRule(new AgentMayBeReadByWhoeverMayUseOrChangeItRule(this, actor));

    /// <exception cref="BusinessRuleValidationException">An <see cref="RuleViolationKind.AccessDenied"/> rule.</exception>
    public void EnsureCanBeChangedBy(Actor actor) => CheckRule(new AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule(this, actor));

    /// <summary>The agents the actor may use, as a query filter (the use rule, run by the database).</summary>
    public static Expression<Func<Agent, bool>> UsableBy(Actor actor) => AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule.Access.For(actor);

    /// <summary>The agents the actor may read, as a query filter (the read rule, run by the database).</summary>
    public static Expression<Func<Agent, bool>> ViewableBy(Actor actor) => AgentMayBeReadByWhoeverMayUseOrChangeItRule.Access.For(actor);

    /// <summary>The current settings, as <see cref="Update"/> hands them to its change.</summary>
    public AgentDefinition ToDefinition() => new(Name)
    {
        Description = Description,
        Instructions = Instructions,
        Model = Model,
        AllowedModels = AllowedModels,
        FallbackModels = FallbackModels,
        Temperature = Temperature,
        TopP = TopP,
        MaxTokens = MaxTokens,
        Lang = Lang,
        WelcomeMessage = WelcomeMessage,
        Visibility = Visibility,
        Metadata = Metadata,
        Tools = Tools,
        McpServers = McpServers,
        MaxToolRounds = MaxToolRounds,
    };

    private void Apply(AgentDefinition definition, DateTimeOffset now)
    {
        var allowedModels = (definition.AllowedModels ?? []).Distinct(StringComparer.Ordinal).ToArray();
        var fallbackModels = (definition.FallbackModels ?? []).ToArray();
        var metadata = definition.Metadata ?? new Dictionary<string, string>();
        CheckRule(new AgentNameMustHaveBetween1And100CharactersRule(definition.Name));
        CheckRule(new AgentDescriptionMustHaveAtMost512CharactersRule(definition.Description));
        CheckRule(new AgentInstructionsMustHaveAtMost32000CharactersRule(definition.Instructions));
        CheckRule(new AllowedModelsMustContainTheAgentModelRule(definition.Model, allowedModels));
        CheckRule(new AgentFallbackModelsMustBeDistinctAndAtMost5Rule(fallbackModels));
        CheckRule(new AgentTemperatureMustBeBetweenZeroAndOneRule(definition.Temperature));
        CheckRule(new AgentTopPMustBeBetweenZeroAndOneRule(definition.TopP));
        CheckRule(new AgentMaxTokensMustBeAtLeastOneRule(definition.MaxTokens));
        CheckRule(new AgentWelcomeMessageMustHaveAtMost2000CharactersRule(definition.WelcomeMessage));
        CheckRule(new AgentMetadataMustHaveAtMost16ShortStringKeysRule(metadata));
        var tools = definition.Tools ?? [];
        CheckRule(new AgentToolsMustBeFewWithUniqueNamesRule(tools));
        var mcpServers = definition.McpServers ?? [];
        CheckRule(new AgentMcpServersMustBeFewWithUniqueNamesRule(mcpServers));
        CheckRule(new AgentMaxToolRoundsMustBeBetween1And20Rule(definition.MaxToolRounds));
        if (!Enum.IsDefined(definition.Visibility))
        {
            throw new ArgumentOutOfRangeException(nameof(definition), definition.Visibility, "Unknown agent visibility.");
        }

        Name = definition.Name;
        Description = definition.Description;
        Instructions = definition.Instructions;
        Model = definition.Model;
        AllowedModels = allowedModels;
        FallbackModels = fallbackModels;
        Temperature = definition.Temperature;
        TopP = definition.TopP;
        MaxTokens = definition.MaxTokens;
        Lang = definition.Lang;
        WelcomeMessage = definition.WelcomeMessage;
        Visibility = definition.Visibility;
        Metadata = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
        Tools = tools.ToList();
        McpServers = mcpServers.ToList();
        MaxToolRounds = definition.MaxToolRounds;
        UpdatedAt = now;
    }
}
