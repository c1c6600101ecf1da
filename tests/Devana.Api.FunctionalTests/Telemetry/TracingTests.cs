using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Serilog.Events;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Telemetry;

/// <summary>
/// Traces through the real pipeline, read from an in-memory exporter: the GenAI span of the LLM call and
/// its attributes (and no message text), the caller's <c>traceparent</c> honoured, <c>x-request-id</c>
/// tied to the trace, the trace id on the request's log line, and OTLP export set up by <c>OTEL_*</c>.
/// Each test follows a trace of its own (the exporter may see other hosts' spans).
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingTests(TracingFactory factory) : IClassFixture<TracingFactory>
{
    private const string Secret = "the-caller-secret-words 7c1f";

    private async Task<(TestCaller Caller, string AgentId)> AgentAsync(string model = "fake-large")
    {
        var caller = await factory.CreateMachineClientAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Traced", model, instructions = "Secret instructions " + Secret });
        factory.Upstream.Behavior = FakeOpenAiUpstream.DefaultBehavior;
        return (caller, agentId);
    }

    /// <summary>Sends a completion as the span <c>callerSpan</c> of the trace <c>traceId</c> (a W3C <c>traceparent</c>).</summary>
    private static async Task<HttpResponseMessage> SendAsync(TestCaller caller, object body, ActivityTraceId traceId, ActivitySpanId callerSpan)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{callerSpan.ToHexString()}-01");
        return await caller.Client.SendAsync(request);
    }

    /// <summary>Devana's server span: the one whose parent is the caller's span (the fake upstream's is in the trace too).</summary>
    private Task<Activity> ServerSpanAsync(ActivityTraceId traceId, ActivitySpanId callerSpan = default) =>
        factory.Spans.WaitForAsync(a => a.TraceId == traceId && a.Kind == ActivityKind.Server && a.ParentSpanId == callerSpan);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Completion_HasAGenAiSpan_UnderTheCallersTrace_WithoutMessageText(bool stream)
    {
        var (caller, agentId) = await AgentAsync();
        var (traceId, callerSpan) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());

        var response = await SendAsync(caller, Ask(agentId, "Question " + Secret, stream), traceId, callerSpan);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        var server = await ServerSpanAsync(traceId, callerSpan);

        var spans = factory.Spans.OfTrace(traceId);
        var chat = spans.Should().ContainSingle(a => a.Source.Name == TelemetrySettings.LlmSourceName).Subject;
        chat.DisplayName.Should().Be("chat gpt-fake-upstream");
        chat.Kind.Should().Be(ActivityKind.Client);
        chat.GetTagItem("gen_ai.operation.name").Should().Be("chat");
        chat.GetTagItem("gen_ai.provider.name").Should().Be("openai");
        chat.GetTagItem("gen_ai.request.model").Should().Be("gpt-fake-upstream");
        chat.GetTagItem("gen_ai.usage.input_tokens").Should().Be(11);
        chat.GetTagItem("gen_ai.usage.output_tokens").Should().Be(6, "the fake answers 'fake answer to: <the 3-word question>', one token a word");
        chat.GetTagItem("server.address").Should().Be("127.0.0.1");
        chat.Status.Should().NotBe(ActivityStatusCode.Error);
        IsUnder(chat, server, spans).Should().BeTrue("the LLM call is part of the request's trace: {0}", string.Join(" | ", spans.Select(a => $"{a.Source.Name}:{a.DisplayName} {a.SpanId}<-{a.ParentSpanId}")));
        spans.Where(a => a.Kind == ActivityKind.Client && a.ParentSpanId == chat.SpanId && Equals(a.GetTagItem("http.request.method"), "POST"))
            .Should().NotBeEmpty("the upstream HTTP request is traced under the LLM call");
        spans.Where(a => a.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal))
            .Should().NotBeEmpty("EF Core's commands are traced: {0}", string.Join(", ", spans.Select(a => a.Source.Name).Distinct()));

        foreach (var span in spans)
        {
            span.Tags.Should().NotContain(tag => tag.Value != null && tag.Value.Contains(Secret, StringComparison.Ordinal), $"span '{span.DisplayName}' must not carry message text");
            span.Events.SelectMany(e => e.Tags).Should().NotContain(tag => tag.Value != null && tag.Value.ToString()!.Contains(Secret, StringComparison.Ordinal));
        }

        chat.GetTagItem("gen_ai.input.messages").Should().BeNull();
        chat.GetTagItem("gen_ai.output.messages").Should().BeNull();
    }

    [Fact]
    public async Task CallersTraceparent_IsHonoured_AndTheRequestIdIsTaggedOnTheServerSpan()
    {
        var (caller, agentId) = await AgentAsync("echo");
        var (traceId, callerSpan) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());

        var response = await SendAsync(caller, Ask(agentId), traceId, callerSpan);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var server = await ServerSpanAsync(traceId, callerSpan);

        var requestId = response.Headers.GetValues("x-request-id").Single();
        requestId.Should().MatchRegex("^req_[0-9a-f]{32}$").And.NotBe("req_" + traceId.ToHexString(), "the caller's trace may hold several requests");
        server.GetTagItem("devana.request_id").Should().Be(requestId);
        server.HasRemoteParent.Should().BeTrue();
    }

    [Fact]
    public async Task WithoutTraceparent_TheNewRequestIdIsTheTraceId_AndTheLogLineCarriesIt()
    {
        var (caller, _) = await AgentAsync("echo");

        var response = await caller.Client.GetAsync("/v1/agents");
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        var requestId = response.Headers.GetValues("x-request-id").Single();
        requestId.Should().MatchRegex("^req_[0-9a-f]{32}$");
        var traceId = ActivityTraceId.CreateFromString(requestId.AsSpan("req_".Length));
        var server = await ServerSpanAsync(traceId);
        server.GetTagItem("devana.request_id").Should().Be(requestId);
        var line = factory.Logs.Should().ContainSingle(e => IsRequestLine(e, requestId), Describe(factory.Logs)).Subject;
        line.Properties["TraceId"].Should().BeEquivalentTo(new ScalarValue(traceId.ToHexString()));
        line.Properties["SpanId"].Should().BeEquivalentTo(new ScalarValue(server.SpanId.ToHexString()));
    }

    [Fact]
    public async Task GivenRequestId_IsKept_AndTheLogLineCarriesTheCallersTraceId()
    {
        var (caller, _) = await AgentAsync("echo");
        var (traceId, callerSpan) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/agents");
        request.Headers.Add("x-request-id", "client-chosen-42");
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{callerSpan.ToHexString()}-01");

        var response = await caller.Client.SendAsync(request);

        response.Headers.GetValues("x-request-id").Should().Equal("client-chosen-42");
        var server = await ServerSpanAsync(traceId, callerSpan);
        server.GetTagItem("devana.request_id").Should().Be("client-chosen-42");
        var line = factory.Logs.Should().ContainSingle(e => IsRequestLine(e, "client-chosen-42")).Subject;
        line.Properties["TraceId"].Should().BeEquivalentTo(new ScalarValue(traceId.ToHexString()));
    }

    [Fact]
    public async Task OtlpExport_FollowsTheStandardVariables()
    {
        var (caller, agentId) = await AgentAsync("echo");
        await caller.CompleteOkAsync(Ask(agentId));

        // The OTLP exporters are periodic: flushing sends now what they would send within seconds.
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
        factory.Services.GetRequiredService<MeterProvider>().ForceFlush();

        await factory.Collector.WhenReceivedAsync("/v1/traces").WaitAsync(TimeSpan.FromSeconds(30));
        await factory.Collector.WhenReceivedAsync("/v1/metrics").WaitAsync(TimeSpan.FromSeconds(30));
        factory.Collector.Exports.Should().OnlyContain(e => e.ContentType == "application/x-protobuf" && e.Bytes > 0);
    }

    private static string Describe(IEnumerable<LogEvent> events) =>
        string.Join(Environment.NewLine, events.Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(", ", e.Properties.Select(p => $"{p.Key}={p.Value}"))));

    private static bool IsRequestLine(LogEvent e, string requestId) =>
        e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal)
        && e.Properties.TryGetValue("RequestId", out var id) && id is ScalarValue { Value: string value } && value == requestId;

    private static bool IsUnder(Activity span, Activity ancestor, IReadOnlyList<Activity> spans)
    {
        var current = span;
        while (current.ParentSpanId != default)
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }

            current = spans.FirstOrDefault(a => a.SpanId == current.ParentSpanId);
            if (current is null)
            {
                return false;
            }
        }

        return false;
    }
}

/// <summary>With <c>Devana:Telemetry:EnableSensitiveData</c> on, the GenAI span carries the messages.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class SensitiveTracingTests(SensitiveTracingFactory factory) : IClassFixture<SensitiveTracingFactory>
{
    [Fact]
    public async Task Completion_GenAiSpanCarriesTheMessagesAndTheAnswer()
    {
        var caller = await factory.CreateMachineClientAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Open book", model = "fake-large" });
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Ask(agentId, "visible question")) };
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        (await caller.Client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);

        var chat = await factory.Spans.WaitForAsync(a => a.TraceId == traceId && a.Source.Name == TelemetrySettings.LlmSourceName);
        (chat.GetTagItem("gen_ai.input.messages") as string).Should().Contain("visible question");
        (chat.GetTagItem("gen_ai.output.messages") as string).Should().Contain("fake answer to: visible question");
    }
}
