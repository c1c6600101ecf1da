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
        // The one map used inside another (a message's usage): both are bounded, as every nesting map must be
        // (docs/decisions/ADR-001-package-pins.md, "AutoMapper and the recursion advisory").
        CreateMap<TokenUsage, UsageDto>().MaxDepth(1);
        CreateMap<Message, MessageDto>()
            .MaxDepth(1)
            .ForMember(d => d.Role, o => o.MapFrom(s => s.Role.ToString().ToLowerInvariant()))
            .ForMember(d => d.Status, o => o.MapFrom(s => s.Status.ToString().ToLowerInvariant()))
            .ForMember(d => d.FileIds, o => o.MapFrom(s => s.FileIds.ToList()))
            .ForMember(d => d.ToolCalls, o => o.MapFrom(s => s.ToolCalls.Count == 0 ? null : s.ToolCalls.Select(ToolCallDto.From).ToList()))
            .ForMember(d => d.CreatedAt, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()));
    }
}
