using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

// The SDK's default credentials chain, configured only by the variables its docs name (here
// AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN), then two STS GetCallerIdentity calls signed
// with what it loaded, as a long-lived app makes many. Prints one JSON line: the provider the chain chose, its refresh
// window, and who STS says the caller was each time.
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: dotnet-container STS_URL");
    return 2;
}

var config = new AmazonSecurityTokenServiceConfig { ServiceURL = args[0], AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 };
try
{
    var credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(config);
    using var sts = new AmazonSecurityTokenServiceClient(credentials, config);
    var first = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
    var second = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string?>
    {
        ["Provider"] = credentials.GetType().Name,

        // Credentials that expire within this window are fetched again before use.
        ["PreemptExpiryTime"] = (credentials as RefreshingAWSCredentials)?.PreemptExpiryTime.ToString(),
        ["Arn"] = first.Arn,
        ["SecondArn"] = second.Arn,
        ["Account"] = first.Account,
    }));
    return 0;
}
catch (Exception e) when (e is AmazonClientException or AmazonServiceException or HttpRequestException)
{
    // The SDK's own message: what a developer would see.
    await Console.Error.WriteLineAsync($"{e.GetType().Name}: {e.Message}");
    return 1;
}
