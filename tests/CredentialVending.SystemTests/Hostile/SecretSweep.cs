using CredentialVending.SystemTests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// Runs a hostile class's tests in xunit's usual order but its secret sweep (the test named
/// <see cref="SweepName"/>) last. xunit 2 gives the classes of a collection no order, and a failure in a fixture's
/// cleanup does not fail the run, so each hostile class ends with a sweep of its own as a test: the last class to
/// finish has swept after every hostile test of the run.
/// </summary>
public sealed class SweepLastOrderer : ITestCaseOrderer
{
    public const string TypeName = "CredentialVending.SystemTests.Hostile.SweepLastOrderer";
    public const string Assembly = "CredentialVending.SystemTests";
    public const string SweepName = "Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.Name == SweepName).ThenBy(t => t.UniqueID, StringComparer.Ordinal);
}

/// <summary>
/// The sweep each hostile class ends with: no secret anywhere (metric lines are log lines: the scan reads them too), and
/// every EMF record printed so far valid and free of subjects.
/// </summary>
public static class SecretSweep
{
    public static async Task AssertNoLeaksAsync(LocalCloud cloud)
    {
        var leaks = await SecretScan.FindLeaksAsync(cloud);
        var records = await Metrics.EmfRecords.SweepAsync(cloud);

        Assert.True(leaks.Count == 0, "Secrets leaked: " + string.Join("; ", leaks));
        Assert.NotEmpty(Witness.Secrets);
        Assert.True(records.Problems.Count == 0, "EMF records: " + string.Join("; ", records.Problems));
        Assert.NotEqual(0, records.Swept);
    }
}

/// <summary>The scan's own tests: it must find what it looks for.</summary>
public sealed class SecretScanTests
{
    [Fact]
    public void The_scan_finds_a_secret_inside_a_json_log_line_even_when_escaped()
    {
        const string secret = "abcd+efgh/ijklmnopqrstuvwxyz0123456789AB";
        var secrets = new Dictionary<string, string> { [secret] = "a secret access key" };
        var line = "{\"message\":\"x\",\"value\":\"" + secret.Replace("+", "\\u002B", StringComparison.Ordinal) + "\"}";

        Assert.Contains("a secret access key", SecretScan.FindIn(secrets, line));
        Assert.Contains("a secret access key", SecretScan.FindIn(secrets, "REPORT " + secret + " done"));
        Assert.Empty(SecretScan.FindIn(secrets, "{\"message\":\"nothing here\"}"));
        Assert.Empty(SecretScan.FindIn(secrets, secret[..^1]));
    }

    [Fact]
    public void The_scan_finds_a_signed_saml_response_logged_as_base64_or_as_xml()
    {
        using var idp = new CredentialVending.Local.Saml.DevelopmentSamlProvider();
        var request = new CredentialVending.Local.Saml.SamlResponseRequest { Subject = "carol", Tenant = "acme", RoleArn = idp.DefaultRoleFor("acme") };
        var encoded = idp.SignedResponse(request);
        var secrets = idp.Made.ToDictionary(m => m, _ => "a SAML response");

        Assert.Contains("a SAML response", SecretScan.FindIn(secrets, "{\"message\":\"read\",\"samlResponse\":\"" + encoded + "\"}"));
        Assert.Contains("a SAML response", SecretScan.FindIn(secrets, "{\"message\":\"" + System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Replace("\"", "'", StringComparison.Ordinal) + "\"}"));
    }
}
