using System.Text.Json;
using Devana.Domain.Conversations;
using Devana.Infrastructure.Persistence.Configurations;

namespace Devana.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The JSON columns' converters write what System.Text.Json writes, with or without its short cut for an empty value,
/// and read back what they wrote: rows written by one build are read by the next.
/// </summary>
public sealed class JsonConversionsTests
{
    public static TheoryData<List<ToolCall>> ToolCalls => new()
    {
        new List<ToolCall>(),
        new List<ToolCall> { new("call_1", "lookup_order", """{"id": "A-17"}""") },
        new List<ToolCall> { new("call_1", "a", "{}"), new("call_2", "b", """{"q": "é \"quoted\""}""") },
    };

    [Theory]
    [MemberData(nameof(ToolCalls))]
    public void ToolCalls_AreWrittenAsTheSerializerWritesThem_AndReadBack(List<ToolCall> calls)
    {
        var text = (string)JsonConversions.ToolCallsConverter.ConvertToProvider(calls)!;

        text.Should().Be(JsonSerializer.Serialize(calls));
        ((List<ToolCall>)JsonConversions.ToolCallsConverter.ConvertFromProvider(text)!).Should().Equal(calls);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Metadata_IsWrittenAsTheSerializerWritesIt_AndReadBack(int entries)
    {
        var metadata = Enumerable.Range(0, entries).ToDictionary(i => $"key{i}", i => $"value \"{i}\"");

        var text = (string)JsonConversions.DictionaryConverter.ConvertToProvider(metadata)!;

        text.Should().Be(JsonSerializer.Serialize(metadata));
        ((Dictionary<string, string>)JsonConversions.DictionaryConverter.ConvertFromProvider(text)!).Should().Equal(metadata);
    }
}
