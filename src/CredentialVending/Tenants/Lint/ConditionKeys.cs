namespace CredentialVending.Tenants.Lint;

/// <summary>
/// docs/api.md's allow-list of the condition keys that can tie a statement to the tenant, and why any other key cannot.
/// IAM compares key names without case.
/// </summary>
internal static class ConditionKeys
{
    public const string LeadingKeys = "dynamodb:LeadingKeys";
    private const string Prefix = "s3:prefix";

    // Facts about the resource, which the caller's request cannot set.
    private static readonly string[] ResourcePrefixes = ["aws:ResourceTag/", "s3:ExistingObjectTag/"];

    // Keys whose value the caller's own request chooses (headers, parameters, the tags it asks for, its network, its clock).
    private static readonly string[] RequestPrefixes =
    [
        "aws:RequestTag/", "s3:RequestObjectTag/", "s3:x-amz-", "kms:EncryptionContext", "aws:CalledVia",
    ];

    private static readonly string[] RequestKeys =
    [
        "aws:UserAgent", "aws:Referer", "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp", "aws:TagKeys",
        "aws:CurrentTime", "aws:EpochTime", "aws:RequestedRegion", "aws:SecureTransport", "aws:ViaAWSService",
        "aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "s3:delimiter", "s3:max-keys",
        "s3:authType", "s3:signatureversion", "s3:TlsVersion", "s3:signatureAge", "s3:object-lock-mode",
    ];

    /// <summary>Null when <paramref name="key"/> may tie (the value must still be the fenced tenant); else why it cannot.</summary>
    public static string? WhyNoTie(string key)
    {
        if (ResourcePrefixes.Any(p => key.Length > p.Length && key.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            || key.Equals(Prefix, StringComparison.OrdinalIgnoreCase) || key.Equals(LeadingKeys, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (key.StartsWith("aws:PrincipalTag/", StringComparison.OrdinalIgnoreCase))
        {
            return $"does not tie the statement to the tenant: {key} is the session's own tag, which the service sets to the tenant, so comparing it to the tenant is always true and restricts no resource (a bucket every tenant shares would pass)";
        }

        if (key.StartsWith("aws:Principal", StringComparison.OrdinalIgnoreCase) || key.StartsWith("aws:userid", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("aws:username", StringComparison.OrdinalIgnoreCase) || key.StartsWith("aws:SourceIdentity", StringComparison.OrdinalIgnoreCase))
        {
            return $"does not tie the statement to the tenant: {key} describes the caller, not the resource, so it restricts no resource";
        }

        var requestSet = RequestPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            || RequestKeys.Any(k => key.Equals(k, StringComparison.OrdinalIgnoreCase));
        return requestSet
            ? $"does not tie the statement to the tenant: the caller's own request sets {key}, so it ties nothing whatever it compares"
            : $"does not tie the statement to the tenant: {key} is not among the keys that do (aws:ResourceTag/*, s3:ExistingObjectTag/*, s3:prefix, dynamodb:LeadingKeys)";
    }

    /// <summary>s3:prefix: its value is the start of the keys listed, so its end fences nothing.</summary>
    public static bool IsPrefix(string key) => key.Equals(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Keys that fence what a request names inside a bucket or table, not which bucket or table.</summary>
    public static bool FencesInside(string key) =>
        key.Equals(Prefix, StringComparison.OrdinalIgnoreCase) || key.Equals(LeadingKeys, StringComparison.OrdinalIgnoreCase);
}
