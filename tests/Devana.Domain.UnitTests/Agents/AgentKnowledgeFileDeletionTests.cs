using Devana.Domain.Agents;

namespace Devana.Domain.UnitTests.Agents;

public sealed class AgentKnowledgeFileDeletionTests
{
    private static readonly DateTimeOffset s_later = AgentFactory.Now.AddMinutes(5);

    [Fact]
    public void ForgetDeletedFile_WhenTheAgentHoldsIt_RemovesItWithoutAskingWhoMayChangeTheAgent()
    {
        var agent = AgentFactory.Create();
        agent.AttachFiles(["file_a", "file_b"], AgentFactory.Owner, AgentFactory.Now);

        var forgotten = agent.ForgetDeletedFile("file_a", s_later);

        forgotten.Should().BeTrue();
        agent.FileIds.Should().Equal("file_b");
        agent.UpdatedAt.Should().Be(s_later);
    }

    [Fact]
    public void ForgetDeletedFile_WhenTheAgentDoesNotHoldIt_ChangesNothing()
    {
        var agent = AgentFactory.Create();
        agent.AttachFiles(["file_b"], AgentFactory.Owner, AgentFactory.Now);

        var forgotten = agent.ForgetDeletedFile("file_a", s_later);

        forgotten.Should().BeFalse();
        agent.FileIds.Should().Equal("file_b");
        agent.UpdatedAt.Should().Be(AgentFactory.Now);
    }
}
