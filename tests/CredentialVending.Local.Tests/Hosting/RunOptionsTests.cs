using CredentialVending.Local.Hosting;

namespace CredentialVending.Local.Tests.Hosting;

/// <summary>The run command's options: what it takes, and what it says about what it cannot take.</summary>
public sealed class RunOptionsTests
{
    [Fact]
    public void With_no_options_it_serves_port_3000_locally_with_the_templates_origins()
    {
        var options = RunOptions.Parse([]);

        Assert.Equal((3000, false, 4, "info"), (options.Port, options.Aws, options.MaxConcurrency, options.LogLevel));
        Assert.Equal(["http://localhost:*", "http://127.0.0.1:*"], options.AllowedOrigins);
        Assert.EndsWith(Path.Combine(".local", "dynamo"), options.DataPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Aws_takes_the_tables_the_region_and_the_sts_endpoints()
    {
        var options = RunOptions.Parse(["--aws", "--tenants-table", "T", "--leases-table", "L", "--region", "eu-west-1", "--sts-endpoints", "eu-west-1,eu-central-1"]);

        Assert.Equal((true, "T", "L", "eu-west-1", "eu-west-1,eu-central-1"),
            (options.Aws, options.TenantsTableName, options.LeasesTableName, options.Region, options.StsEndpoints));
    }

    [Theory]
    [InlineData("--aws needs --tenants-table and --leases-table.", "--aws", "--tenants-table", "T")]
    [InlineData("--tenants-table and --leases-table go with --aws; locally the tables are the template's, in dynalite.", "--tenants-table", "T")]
    [InlineData("--sts-endpoints goes with --aws; locally STS is the emulator.", "--sts-endpoints", "us-east-1")]
    [InlineData("--port takes a number from 1 to 65535, not '70000'.", "--port", "70000")]
    [InlineData("--log-level takes one of debug, info, warn, error, not 'loud'.", "--log-level", "loud")]
    [InlineData("--region needs a value.", "--region")]
    [InlineData("Unknown option --colour.", "--colour")]
    public void What_it_cannot_take_it_says_plainly(string message, params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => RunOptions.Parse(args));

        Assert.Equal(message, error.Message);
    }
}
