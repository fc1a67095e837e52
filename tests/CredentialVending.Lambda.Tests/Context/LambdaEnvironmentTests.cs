using CredentialVending.Lambda.Context;

namespace CredentialVending.Lambda.Tests.Context;

public sealed class LambdaEnvironmentTests
{
    [Fact]
    public void The_environment_is_read_from_lambdas_variables()
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "credential-vending-vend",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "12",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512",
            ["_HANDLER"] = "vend",
            ["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:9001",
        };

        var environment = LambdaEnvironment.FromVariables(name => variables.GetValueOrDefault(name));

        Assert.Equal(new LambdaEnvironment("credential-vending-vend", "12", 512, "vend", "127.0.0.1:9001"), environment);
    }

    [Fact]
    public void Missing_variables_fall_back_to_local_defaults()
    {
        var environment = LambdaEnvironment.FromVariables(name => name == "AWS_LAMBDA_FUNCTION_MEMORY_SIZE" ? "lots" : null);

        Assert.Equal(new LambdaEnvironment("local", "$LATEST", 128, null, null), environment);
    }
}
