using System.Globalization;
using Devana.Application.Common.Exceptions;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.Common;

/// <summary>
/// Assembles the prompt in the order of docs/completions.md#how-the-prompt-is-built: the agent's instructions; the language instruction;
/// the context section; the stored history; the request's messages. History is trimmed oldest-first so
/// that prompt + <c>max_tokens</c> fits the LLM's context window, counted with the real tokenizer.
/// </summary>
public sealed class PromptBuilder(ITokenCounter tokens)
{
    public Prompt Build(PromptParts parts, int maxTokens, int contextWindow)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var system = SystemText(parts);
        var head = new List<ChatMessage>();
        if (system.Length > 0)
        {
            head.Add(new ChatMessage(ChatRole.System, system));
        }

        var tail = parts.RequestMessages.ToList();
        var budget = contextWindow - maxTokens;
        var fixedTokens = tokens.CountTokens(head.Concat(tail));
        if (fixedTokens > budget)
        {
            throw new BadRequestException(
                $"The prompt needs {fixedTokens} tokens before any history, and max_tokens asks for {maxTokens}; together they exceed the LLM's context window of {contextWindow} tokens. Send shorter messages or a smaller max_tokens.",
                "messages",
                ErrorCodes.InvalidValue);
        }

        // Keep the newest history that fits, then restore the order.
        var kept = new List<ChatMessage>();
        var used = fixedTokens;
        for (var i = parts.History.Count - 1; i >= 0; i--)
        {
            var message = parts.History[i];
            var cost = tokens.CountTokens([message]);
            if (used + cost > budget)
            {
                break;
            }

            kept.Add(message);
            used += cost;
        }

        kept.Reverse();
        var messages = new List<ChatMessage>(head.Count + kept.Count + tail.Count);
        messages.AddRange(head);
        messages.AddRange(kept);
        messages.AddRange(tail);
        return new Prompt(messages, used, parts.History.Count - kept.Count);
    }

    /// <summary>Tokens the context section may take: what is left after the fixed parts, most of it.</summary>
    public int ContextBudget(PromptParts parts, int maxTokens, int contextWindow)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var fixedTokens = tokens.CountTokens(SystemText(parts with { Context = null }))
            + tokens.CountTokens(parts.RequestMessages);
        return Math.Max(0, (contextWindow - maxTokens - fixedTokens) * 3 / 4);
    }

    public static string LanguageInstruction(string lang)
    {
        string name;
        try
        {
            var culture = CultureInfo.GetCultureInfo(lang);
            name = culture.EnglishName == culture.Name || string.IsNullOrEmpty(culture.EnglishName) ? lang : $"{culture.EnglishName} ({lang})";
        }
        catch (CultureNotFoundException)
        {
            name = lang;
        }

        return $"Always answer in {name}, whatever the language of the question.";
    }

    private static string SystemText(PromptParts parts)
    {
        var sections = new List<string>(3);
        if (!string.IsNullOrWhiteSpace(parts.Instructions))
        {
            sections.Add(parts.Instructions.Trim());
        }

        if (!string.IsNullOrEmpty(parts.Lang))
        {
            sections.Add(LanguageInstruction(parts.Lang));
        }

        if (!string.IsNullOrWhiteSpace(parts.Context))
        {
            sections.Add("Use the following documents to answer when they are relevant.\n<documents>\n" + parts.Context.Trim() + "\n</documents>");
        }

        return string.Join("\n\n", sections);
    }
}

/// <summary>
/// What goes into a prompt. <see cref="History"/> is oldest first. Messages may carry more than text:
/// tool calls, tool results and images reach the LLM as Microsoft.Extensions.AI contents.
/// </summary>
public sealed record PromptParts(
    string? Instructions,
    string? Lang,
    string? Context,
    IReadOnlyList<ChatMessage> History,
    IReadOnlyList<ChatMessage> RequestMessages);

/// <param name="Messages">What the LLM is sent.</param>
/// <param name="PromptTokens">The tokenizer's count of <paramref name="Messages"/>.</param>
/// <param name="TrimmedHistoryMessages">How many of the oldest history messages did not fit.</param>
public sealed record Prompt(IReadOnlyList<ChatMessage> Messages, int PromptTokens, int TrimmedHistoryMessages);
