using AutoMapper;
using Devana.Domain.Conversations;

namespace Devana.Application.Conversations.Common;

internal sealed class ConversationMappingProfile : Profile
{
    public ConversationMappingProfile()
    {
        CreateMap<Conversation, ConversationDto>()
            .ForMember(d => d.CreatedAt, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()))
            .ForMember(d => d.UpdatedAt, o => o.MapFrom(s => s.UpdatedAt.ToUnixTimeSeconds()))
            .ForMember(d => d.Metadata, o => o.MapFrom(s => new Dictionary<string, string>(s.Metadata)));
        // Flat: no map is used inside another (a message's usage is built here, not by a nested map), so
        // nothing can recurse (docs/decisions/ADR-001-package-pins.md, "AutoMapper and the recursion advisory").
        // MaxDepth is no help here: on this map it also dropped the message's file_ids and tool_calls.
        CreateMap<Message, MessageDto>()
            .ForMember(d => d.Role, o => o.MapFrom(s => s.Role.ToString().ToLowerInvariant()))
            .ForMember(d => d.Status, o => o.MapFrom(s => s.Status.ToString().ToLowerInvariant()))
            .ForMember(d => d.FileIds, o => o.MapFrom(s => s.FileIds.ToList()))
            .ForMember(d => d.ToolCalls, o => o.MapFrom(s => s.ToolCalls.Count == 0 ? null : s.ToolCalls.Select(ToolCallDto.From).ToList()))
            .ForMember(d => d.Usage, o => o.MapFrom(s => s.Usage == null ? null : new UsageDto(s.Usage.PromptTokens, s.Usage.CompletionTokens, s.Usage.TotalTokens)))
            .ForMember(d => d.CreatedAt, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()));
    }
}
