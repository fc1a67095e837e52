using CredentialVending.Functions.Hosting;

namespace CredentialVending.Functions.Tests.Hosting;

/// <summary>The brokered mode's variables, read at init like the others: a value that cannot work stops the function serving.</summary>
public sealed class FunctionConfigurationTests
{
    [Fact]
    public void The_broker_settings_and_the_kms_endpoint_are_read_with_the_default_audience()
    {
        var read = FunctionConfiguration.FromVariables(Variables(
            ("BROKER_KMS_KEY_ID", "alias/credvend"), ("BROKER_ISSUER", "https://api.example.com"), ("AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:4599")));

        Assert.Equal(("alias/credvend", "https://api.example.com", "credential-vending"), (read.Value!.Broker!.KeyId, read.Value.Broker.Issuer, read.Value.Broker.Audience));
        Assert.Equal(new Uri("http://127.0.0.1:4599"), read.Value.KmsEndpoint);
    }

    [Fact]
    public void Without_broker_settings_the_function_serves_with_no_brokered_mode()
    {
        var read = FunctionConfiguration.FromVariables(Variables());

        Assert.Null(read.Value!.Broker);
        Assert.Null(read.Value.KmsEndpoint);
    }

    [Theory]
    [InlineData("BROKER_ISSUER", "http://127.0.0.1:3000", "BROKER_ISSUER 'http://127.0.0.1:3000' must be https")]
    [InlineData("BROKER_ISSUER", "https://api.example.com/", "must carry no query and no trailing slash")]
    [InlineData("BROKER_KMS_KEY_ID", "", "BROKER_KMS_KEY_ID is unset while BROKER_ISSUER is set")]
    [InlineData("AWS_ENDPOINT_URL_KMS", "http://kms.example.com", "AWS_ENDPOINT_URL_KMS: 'http://kms.example.com' must be https unless it is on loopback")]
    [InlineData("AWS_ENDPOINT_URL_KMS", "kms", "AWS_ENDPOINT_URL_KMS: 'kms' is not an http(s) URL")]
    public void A_broker_value_that_cannot_work_is_a_configuration_problem_naming_it(string name, string value, string problem)
    {
        var read = FunctionConfiguration.FromVariables(Variables(
            ("BROKER_KMS_KEY_ID", "alias/credvend"), ("BROKER_ISSUER", "https://api.example.com"), (name, value)));

        Assert.Contains(problem, read.Refusal!.Detail, StringComparison.Ordinal);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] set)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { ["TENANTS_TABLE"] = "tenants", ["LEASES_TABLE"] = "leases", ["AWS_REGION"] = "us-east-1" };
        foreach (var (name, value) in set)
        {
            all[name] = value;
        }

        return name => all.GetValueOrDefault(name);
    }
}
