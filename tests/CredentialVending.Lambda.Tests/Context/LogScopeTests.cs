using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Tests.Fakes;

namespace CredentialVending.Lambda.Tests.Context;

/// <summary>The keys of an invocation: said once, on every line of it, and on none after it.</summary>
public sealed class LogScopeTests
{
    private const string TraceId = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
    private readonly StringWriter _output = new();
    private readonly JsonLineLogger _logger;

    public LogScopeTests() => _logger = new JsonLineLogger(_output, LogLevel.Debug, new FakeTimeProvider(new DateTimeOffset(2025, 11, 22, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Every_line_of_an_invocation_carries_its_request_id_and_trace_id()
    {
        using (_logger.BeginInvocation("req-1", TraceId))
        {
            _logger.Log(LogLevel.Info, "One.");
            _logger.Log(LogLevel.Warn, "Two.");
        }

        Assert.All(LogLines.Parse(_output), line =>
        {
            Assert.Equal("req-1", line.Text("requestId"));
            Assert.Equal("req-1", line.Text("awsRequestId"));
            Assert.Equal(TraceId, line.Text("traceId"));
        });
    }

    [Fact]
    public void An_appended_key_is_on_every_later_line_of_the_invocation_and_on_none_after_it()
    {
        using (_logger.BeginInvocation("req-1", TraceId))
        {
            _logger.Log(LogLevel.Info, "Before.");
            _logger.AppendKey("tenantId", "acme");
            _logger.AppendKey("leaseId", "01JDQ3ZV7W5K8Q4T0N9B2XG6AC");
            _logger.Log(LogLevel.Info, "Issued.");
        }

        using (_logger.BeginInvocation("req-2", traceId: null))
        {
            _logger.Log(LogLevel.Info, "Next invocation.");
        }

        _logger.Log(LogLevel.Info, "Between invocations.");

        var lines = LogLines.Parse(_output);
        Assert.Null(lines[0].Text("tenantId"));
        Assert.Equal("acme", lines[1].Text("tenantId"));
        Assert.Equal("01JDQ3ZV7W5K8Q4T0N9B2XG6AC", lines[1].Text("leaseId"));
        Assert.Equal("req-2", lines[2].Text("requestId"));
        Assert.Null(lines[2].Text("tenantId"));
        Assert.Null(lines[2].Text("traceId"));
        Assert.Null(lines[3].Text("requestId"));
        Assert.Null(lines[3].Text("leaseId"));
    }

    [Fact]
    public void A_key_appended_again_replaces_its_value_and_null_removes_it()
    {
        using var invocation = _logger.BeginInvocation("lambda-id", TraceId);

        _logger.AppendKey("requestId", "apigw-id");
        _logger.AppendKey("route", "GET /x");
        _logger.Log(LogLevel.Info, "Replaced.");
        _logger.AppendKey("route", null);
        _logger.Log(LogLevel.Info, "Removed.");

        var lines = LogLines.Parse(_output);
        Assert.Equal("apigw-id", lines[0].Text("requestId"));
        Assert.Equal("lambda-id", lines[0].Text("awsRequestId"));
        Assert.Equal("apigw-id", _logger.RequestId);
        Assert.Equal("GET /x", lines[0].Text("route"));
        Assert.Null(lines[1].Text("route"));
    }

    [Fact]
    public void A_field_given_at_the_call_wins_over_the_key_of_the_same_name_and_the_line_holds_it_once()
    {
        using var invocation = _logger.BeginInvocation("req-1", null);
        _logger.AppendKey("tenantId", "acme");

        _logger.Log(LogLevel.Info, "Looked up.", [new("tenantId", "other")]);

        var line = Assert.Single(LogLines.Parse(_output));
        Assert.Equal("other", line.Text("tenantId"));
        Assert.Single(line.EnumerateObject(), p => p.Name == "tenantId");
    }
}
