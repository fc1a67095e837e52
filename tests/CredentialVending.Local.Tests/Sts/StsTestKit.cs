using System.Text;
using Amazon.Runtime;
using Amazon.SecurityToken;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Tests.Sts;

/// <summary>Starts emulators and points the real AWS SDK for .NET at them.</summary>
internal static class StsTestKit
{
    public const string CallerKey = "AKIAIOSFODNN7EXAMPLE";
    public const string CallerSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string RoleArn = "arn:aws:iam::123456789012:role/tenant-acme";
    public const string ExternalIdRoleArn = "arn:aws:iam::123456789012:role/tenants/tenant-globex";
    public const string ExternalId = "globex-7f3c";

    // The SDK must never probe the instance metadata address for credentials or a region.
    static StsTestKit() => Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

    public static StsEmulatorOptions Options => new()
    {
        CallerCredentials = new Dictionary<string, string> { [CallerKey] = CallerSecret },
        RequiredExternalIds = new Dictionary<string, string> { [ExternalIdRoleArn] = ExternalId },
    };

    public static Task<StsEmulator> StartAsync(StsEmulatorOptions? options = null) => StsEmulator.StartAsync(options ?? Options);

    public static AmazonSecurityTokenServiceClient Client(StsEmulator sts, AWSCredentials? credentials = null, string? region = null, TimeSpan? timeout = null) =>
        new(credentials ?? new BasicAWSCredentials(CallerKey, CallerSecret), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = sts.Endpoint.ToString(),
            AuthenticationRegion = region ?? sts.Region,
            MaxErrorRetry = 0,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        });

    public static AWSCredentials SessionCredentials(IssuedSession session) =>
        new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken);

    /// <summary>A raw, unsigned Query protocol POST, to see the wire answer itself.</summary>
    public static Task<(int Status, string Body, string? RequestIdHeader)> PostAsync(StsEmulator sts, params (string Name, string Value)[] form) =>
        PostAsync(sts, CancellationToken.None, form);

    /// <inheritdoc cref="PostAsync(StsEmulator, (string Name, string Value)[])"/>
    public static async Task<(int Status, string Body, string? RequestIdHeader)> PostAsync(StsEmulator sts, CancellationToken ct, params (string Name, string Value)[] form)
    {
        using var http = new HttpClient();
        var body = string.Join('&', form.Select(f => Uri.EscapeDataString(f.Name) + "=" + Uri.EscapeDataString(f.Value)));
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await http.PostAsync(sts.Endpoint, content, ct);
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var values) ? values.Single() : null;
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct), requestId);
    }
}
