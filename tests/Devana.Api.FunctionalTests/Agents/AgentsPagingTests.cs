using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Agents;

public sealed class AgentsPagingTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public async Task List_WalksAllAgentsNewestFirstWithLimitAndAfter()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await caller.CreateAgentAsync(name: $"Agent {i}")).Id());
        }

        var first = await (await caller.Client.GetAsync("/v1/agents?limit=2")).ReadJsonAsync();
        var second = await (await caller.Client.GetAsync($"/v1/agents?limit=2&after={first.GetProperty("next_cursor").GetString()}")).ReadJsonAsync();
        var third = await (await caller.Client.GetAsync($"/v1/agents?limit=2&after={second.GetProperty("next_cursor").GetString()}")).ReadJsonAsync();

        first.GetProperty("object").GetString().Should().Be("list");
        first.GetProperty("has_more").GetBoolean().Should().BeTrue();
        second.GetProperty("has_more").GetBoolean().Should().BeTrue();
        third.GetProperty("has_more").GetBoolean().Should().BeFalse();
        third.GetProperty("next_cursor").ValueKind.Should().Be(JsonValueKind.Null);
        first.Ids().Concat(second.Ids()).Concat(third.Ids()).Should().Equal(Enumerable.Reverse(created));
        first.GetProperty("data")[0].GetProperty("object").GetString().Should().Be("agent");
    }

    [Fact]
    public async Task List_WithoutLimit_ReturnsUpTo20()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        for (var i = 0; i < 21; i++)
        {
            await caller.CreateAgentAsync(name: $"Agent {i}");
        }

        var page = await (await caller.Client.GetAsync("/v1/agents")).ReadJsonAsync();

        page.Ids().Should().HaveCount(20);
        page.GetProperty("has_more").GetBoolean().Should().BeTrue();
        page.GetProperty("next_cursor").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task List_WhenEmpty_IsAnEmptyListWithoutCursor()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());

        var page = await (await caller.Client.GetAsync("/v1/agents?limit=100")).ReadJsonAsync();

        page.GetProperty("object").GetString().Should().Be("list");
        page.GetProperty("data").GetArrayLength().Should().Be(0);
        page.GetProperty("has_more").GetBoolean().Should().BeFalse();
        page.GetProperty("next_cursor").ValueKind.Should().Be(JsonValueKind.Null);
    }
}
