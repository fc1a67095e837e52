using CredentialVending.Common;

namespace CredentialVending.Revocation.Iam;

/// <summary>Where IAM is and how long the client waits for it: the settings an <c>AmazonIdentityManagementServiceConfig</c> would hold.</summary>
public sealed record IamClientOptions
{
    /// <summary>IAM's global endpoint; its SigV4 scope is <c>us-east-1</c> whatever region the function runs in.</summary>
    public static readonly Uri AwsEndpoint = new("https://iam.amazonaws.com/");

    public Uri Endpoint { get; init; } = AwsEndpoint;

    /// <summary>For one HTTP attempt: the SDK has no default timeout, and Lambda bills the wait.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The SDKs' standard retry mode: three attempts in all.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The standard mode's backoff base: retry i waits a random part of min(base * 2^i, <see cref="MaxBackoff"/>).</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The endpoint from <c>AWS_ENDPOINT_URL_IAM</c> (the SDKs' standard override), AWS's when unset, or an
    /// <c>invalid_request</c> refusal when it is not an https URL (loopback http allowed), for the host to fail its init with.
    /// </summary>
    public static Outcome<IamClientOptions> FromEnvironment(string? endpointOverride)
    {
        if (string.IsNullOrWhiteSpace(endpointOverride))
        {
            return new IamClientOptions();
        }

        return EndpointUrls.TryParse(endpointOverride.Trim(), out var url, out var problem)
            ? new IamClientOptions { Endpoint = url! }
            : new Refusal(Codes.InvalidRequest, "AWS_ENDPOINT_URL_IAM is not a usable IAM endpoint.", [new FieldError("AWS_ENDPOINT_URL_IAM", problem)]);
    }
}
