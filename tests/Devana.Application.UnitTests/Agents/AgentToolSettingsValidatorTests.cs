using System.Text.Json;
using Devana.Application.Agents.CreateAgent;
using Devana.Application.Agents.UpdateAgent;
using Devana.Application.Common.Exceptions;
using Devana.Application.Tools;

namespace Devana.Application.UnitTests.Agents;

public sealed class AgentToolSettingsValidatorTests
{
    private static readonly JsonElement s_schema = JsonDocument.Parse("""{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}""").RootElement;

    private readonly CreateAgentCommandValidator _validator = new(TestCatalog.Create(), TestToolHosts.Default);

    private static AgentToolSettings Tool(string name = "order_status") =>
        new("http", name, "The status of an order.", s_schema, "https://tools.example.com/orders", "GET", new Dictionary<string, string?> { ["Authorization"] = "Bearer s3cret" }, 10, false);

    private void ShouldFailOn(AgentToolSettings tool, string param, string code)
    {
        var result = _validator.Validate(new CreateAgentCommand("a") { Tools = [Tool("first"), tool] });
        result.IsValid.Should().BeFalse();
        var exception = new ValidationException(result.Errors);
        exception.Param.Should().Be(param);
        exception.Code.Should().Be(code);
    }

    [Fact]
    public void Validate_WhenToolIsComplete_IsValid() =>
        _validator.Validate(new CreateAgentCommand("a") { Tools = [Tool(), Tool("other") with { Method = "post", Parameters = null, Headers = null, TimeoutSeconds = null }] }).IsValid.Should().BeTrue();

    [Fact]
    public void Validate_WhenTypeIsNotHttp_FailsOnType() =>
        ShouldFailOn(Tool() with { Type = "function" }, "tools[1].type", ErrorCodes.UnknownParameterValue);

    [Fact]
    public void Validate_WhenTypeIsMissing_FailsOnType() =>
        ShouldFailOn(Tool() with { Type = null }, "tools[1].type", ErrorCodes.MissingRequiredParameter);

    [Theory]
    [InlineData("Order")]
    [InlineData("order status")]
    [InlineData("")]
    [InlineData("a-name-that-is-much-too-long-for-a-tool-because-it-has-more-than-64c")]
    public void Validate_WhenNameIsNotLowerCaseSlug_FailsOnName(string name) =>
        ShouldFailOn(Tool(name), "tools[1].name", ErrorCodes.InvalidValue);

    [Fact]
    public void Validate_WhenSchemaIsNotAnObjectSchema_FailsOnParameters() =>
        ShouldFailOn(Tool() with { Parameters = JsonDocument.Parse("""{"type":"object","required":["missing"]}""").RootElement }, "tools[1].parameters", ErrorCodes.InvalidValue);

    [Theory]
    [InlineData("ftp://tools.example.com/x")]
    [InlineData("/orders")]
    [InlineData("https://user:pw@tools.example.com/x")]
    public void Validate_WhenUrlIsNotAnHttpUrl_FailsOnUrl(string url) =>
        ShouldFailOn(Tool() with { Url = url }, "tools[1].url", ErrorCodes.InvalidValue);

    [Fact]
    public void Validate_WhenHostIsNotAllowed_FailsOnUrlWithHostNotAllowed()
    {
        var result = _validator.Validate(new CreateAgentCommand("a") { Tools = [Tool() with { Url = "http://169.254.169.254/latest/meta-data" }] });

        var exception = new ValidationException(result.Errors);
        exception.Param.Should().Be("tools[0].url");
        exception.Code.Should().Be(ErrorCodes.HostNotAllowed);
        exception.Message.Should().Contain("169.254.169.254");
    }

    [Fact]
    public void Validate_WhenConfirmationIsRequired_IsValid() =>
        _validator.Validate(new CreateAgentCommand("a") { Tools = [Tool() with { RequiresConfirmation = true }] }).IsValid.Should().BeTrue();

    [Fact]
    public void Validate_WhenMethodIsNotGetOrPost_FailsOnMethod() =>
        ShouldFailOn(Tool() with { Method = "DELETE" }, "tools[1].method", ErrorCodes.UnknownParameterValue);

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void Validate_WhenTimeoutIsOutOfRange_FailsOnTimeout(int seconds) =>
        ShouldFailOn(Tool() with { TimeoutSeconds = seconds }, "tools[1].timeout_seconds", ErrorCodes.InvalidValue);

    [Theory]
    [InlineData("x-devana-agent-id")]
    [InlineData("Host")]
    [InlineData("bad header")]
    public void Validate_WhenHeaderIsReservedOrInvalid_FailsOnHeaders(string header)
    {
        var result = _validator.Validate(new CreateAgentCommand("a") { Tools = [Tool() with { Headers = new Dictionary<string, string?> { [header] = "v" } }] });

        result.IsValid.Should().BeFalse();
        new ValidationException(result.Errors).Param.Should().StartWith("tools[0].headers");
    }

    [Theory]
    [InlineData("Everything", "https://tools.example.com/mcp", "Authorization", "mcp_servers[0].name", ErrorCodes.InvalidValue)]
    [InlineData("crm", "https://elsewhere.example.org/mcp", "Authorization", "mcp_servers[0].url", ErrorCodes.HostNotAllowed)]
    [InlineData("crm", "https://tools.example.com/mcp", "Mcp-Session-Id", "mcp_servers[0].headers[0]", ErrorCodes.InvalidValue)]
    public void Validate_WhenMcpServerIsInvalid_FailsOnTheField(string name, string url, string header, string param, string code)
    {
        var server = new McpServerSettings(name, url, new Dictionary<string, string?> { [header] = "v" }, ["echo"]);

        var result = _validator.Validate(new CreateAgentCommand("a") { McpServers = [server] });

        var exception = new ValidationException(result.Errors);
        exception.Param.Should().Be(param);
        exception.Code.Should().Be(code);
    }

    [Fact]
    public void ValidatePatch_WhenToolsAreSet_ChecksEachTool()
    {
        var validator = new UpdateAgentCommandValidator(TestCatalog.Create(), TestToolHosts.Default);

        var patch = new UpdateAgentCommand { Tools = [Tool() with { Url = "https://elsewhere.example.org/x" }] };
        patch.MarkPresent(nameof(patch.Tools));

        var result = validator.Validate(patch);

        new ValidationException(result.Errors).Param.Should().Be("tools[0].url");
    }
}
