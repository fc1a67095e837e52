using CredentialVending.Functions.Hosting;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.SystemTests.Hosting;

/// <summary>
/// ADMIN_PRINCIPAL_ARNS: any AWS account can sign a request to an AWS_IAM route, so a pattern that could match another
/// account's principal is a configuration error at init, reported to the Runtime API, and nothing is served.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class AdminPrincipalArnsTests(LocalCloud cloud)
{
    [Theory]
    [InlineData("arn:aws:iam::*:role/onboarding")]
    [InlineData("arn:aws:sts::12345678901*:assumed-role/onboarding/*")]
    [InlineData("*")]
    [InlineData("arn:*:role/onboarding")]
    [InlineData("arn:aws:*:123456789012:role/onboarding")]
    [InlineData("arn:aws:iam::123456789012:role/onboarding,arn:aws:iam::*:role/onboarding")]
    [InlineData("onboarding")]
    public void A_pattern_that_can_match_another_account_is_a_configuration_error(string patterns)
    {
        var configuration = FunctionConfiguration.FromVariables(Variables(patterns));

        Assert.True(configuration.IsRefused);
        Assert.Contains("ADMIN_PRINCIPAL_ARNS", configuration.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/onboarding")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/onboarding/*")]
    [InlineData("arn:aws:iam::123456789012:*")]
    [InlineData("arn:aws-us-gov:iam::123456789012:user/ops/*, arn:aws:sts::210987654321:assumed-role/pipeline/*")]
    [InlineData("")]
    public void Patterns_of_one_account_each_are_taken(string patterns)
    {
        var configuration = FunctionConfiguration.FromVariables(Variables(patterns));

        Assert.False(configuration.IsRefused, configuration.Refusal?.Detail);
    }

    [Theory]
    [InlineData("arn:aws:iam::*:role/onboarding")]
    [InlineData("*")]
    public async Task The_bootstrap_reports_an_init_error_and_serves_nothing(string patterns)
    {
        var environment = cloud.FunctionEnvironment();
        environment["ADMIN_PRINCIPAL_ARNS"] = patterns;
        await using var function = await cloud.StartAsync("admin", environment);

        var result = await function.InvokeAsync(HttpApiEvent.Create(Requests.Admin("GET", "/admin/tenants", iamArn: "arn:aws:iam::999999999999:role/onboarding"), DateTimeOffset.UtcNow));

        Assert.False(result.Succeeded);
        Assert.Null(result.Response);
        Assert.NotNull(function.InitError);
        Assert.Contains("ADMIN_PRINCIPAL_ARNS", function.InitError, StringComparison.Ordinal);
        Assert.Contains("\"errorType\":\"Runtime.InvalidConfiguration\"", function.InitError, StringComparison.Ordinal);
        Assert.True(function.HasExited);
    }

    private static Func<string, string?> Variables(string adminPatterns) => name => name switch
    {
        "TENANTS_TABLE" or "LEASES_TABLE" => "t",
        "AWS_REGION" => "us-east-1",
        "ADMIN_PRINCIPAL_ARNS" => adminPatterns,
        _ => null,
    };
}
