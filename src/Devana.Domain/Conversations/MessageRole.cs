namespace Devana.Domain.Conversations;

public enum MessageRole
{
    System,
    User,
    Assistant,
}
