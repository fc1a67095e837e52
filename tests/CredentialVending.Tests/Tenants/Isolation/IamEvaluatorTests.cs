using System.Text.Json.Nodes;

namespace CredentialVending.Tests.Tenants.Isolation;

/// <summary>The evaluator the isolation property rests on answers as IAM does for the cases it is trusted with.</summary>
public sealed class IamEvaluatorTests : IDisposable
{
    private const string Principal = "arn:aws:sts::123456789012:assumed-role/tenant-acme/01JDQ3ZV7W5K8Q4T0N9B2XG6AC";

    private static readonly JsonNode SessionPolicy = JsonNode.Parse("""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-data/${aws:PrincipalTag/tenant}/*"},
          {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-data/acme/secret"}]}
        """)!;

    private readonly IamEvaluator _evaluator = IamEvaluator.Start();

    [Theory]
    [InlineData("arn:aws:s3:::acme-data/acme/report", "Allowed")]
    [InlineData("arn:aws:s3:::acme-data/acme-orders/report", "ImplicitlyDenied")]
    [InlineData("arn:aws:s3:::acme-data/acme/secret", "ExplicitlyDenied")]
    public void A_session_policy_narrows_a_role_that_allows_everything(string resource, string decision)
    {
        var answer = _evaluator.Evaluate([Probe("s3:GetObject", resource)]);

        Assert.Equal(decision, answer.Single().Decision);
    }

    [Fact]
    public void A_probe_it_cannot_judge_is_an_error_not_a_decision()
    {
        var answers = _evaluator.Evaluate([Probe("s3:NoSuchAction", "arn:aws:s3:::acme-data/acme/report"), Probe("s3:GetObject", "arn:aws:s3:::acme-data/acme/report")]);

        Assert.Null(answers[0].Decision);
        Assert.Contains("invalid.action", answers[0].Error, StringComparison.Ordinal);
        Assert.True(answers[1].Allowed);
    }

    private static IamProbe Probe(string action, string resource) => new(
        Principal, [IsolationSession.AllowEverything], SessionPolicy, action, resource, new Dictionary<string, IReadOnlyList<string>> { ["aws:PrincipalTag/tenant"] = ["acme"] });

    public void Dispose() => _evaluator.Dispose();
}
