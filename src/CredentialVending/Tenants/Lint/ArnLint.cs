using System.Text.RegularExpressions;

namespace CredentialVending.Tenants.Lint;

/// <summary>
/// Whether a Resource is an ARN IAM can match: <c>arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE</c> with the parts its
/// service needs, once variables are put in. A small table of the services tenants use; any other gets the generic shape.
/// </summary>
internal static partial class ArnLint
{
    private static readonly string[] Partitions = ["aws", "aws-cn", "aws-us-gov"];

    private static readonly HashSet<string> RegionAndAccount = new(StringComparer.Ordinal)
    {
        "dynamodb", "sqs", "sns", "kms", "lambda", "logs", "execute-api", "iot", "kinesis", "events", "states", "secretsmanager", "ssm",
    };

    private static readonly HashSet<string> AccountOnly = new(StringComparer.Ordinal) { "iam", "sts" };

    // Resource types of those services that AWS documents without a region or an account.
    private static readonly (string Service, string Prefix, bool NoRegion, bool NoAccount)[] Exceptions =
    [
        ("dynamodb", "global-table/", true, false),
        ("events", "event-source/", false, true),
        ("ssm", "parameter/aws/", false, true),
        ("ssm", "document/", false, true),
        ("ssm", "automation-definition/", false, true),
    ];

    // S3's ARNs that do carry a region and an account: everything but buckets and objects.
    private static readonly string[] S3AccountTypes = ["accesspoint/", "job/", "storage-lens/", "storage-lens-group/", "access-grants/", "async-request/"];

    /// <summary>Null when <paramref name="resource"/> is well formed; else what is wrong and how to write it.</summary>
    public static string? Problem(SampledText resource, string tenantId)
    {
        var text = resource.Text;
        if (text == "*")
        {
            return null;
        }

        if (!text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return "is not an ARN: write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (arn:aws:s3:::bucket/key), or \"*\" alone";
        }

        // An empty resource part after a wildcard is AWS's own spelling of "all of it" (arn:aws:organizations::*:).
        var parts = text.Split(':', 6);
        if (parts.Length < 6 || (parts[5].Length == 0 && !parts[1..5].Any(Pattern)))
        {
            return $"has {(parts.Length < 6 ? "fewer than six parts" : "an empty resource part")}: an ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, with empty parts kept (arn:aws:s3:::bucket/key)";
        }

        var (partition, service, region, account, rest) = (parts[1], parts[2], parts[3], parts[4], parts[5]);
        if (parts[1..5].Any(p => p.Contains(SampledText.Caller, StringComparison.Ordinal)))
        {
            return "has {{subject}} or a {{claim:...}} in its partition, service, region or account, shared or not, so the caller's identity provider would choose whose resources it names: write them out, and put such variables in the resource part after the tenant";
        }

        if (!Pattern(partition) && Array.IndexOf(Partitions, partition) < 0)
        {
            return $"names the partition \"{partition}\": it must be aws, aws-cn or aws-us-gov";
        }

        if (!Pattern(service) && !IamActions.Default.HasService(service))
        {
            var near = Spelling.Nearest(service, IamActions.Default.Services);
            return $"names the service \"{service}\", which AWS has none of{(near is null ? string.Empty : $"; did you mean {near}?")}";
        }

        if (!Pattern(region) && region.Length > 0 && !Region().IsMatch(region))
        {
            return $"names the region \"{region}\": write a region such as us-east-1, or * for any";
        }

        if (!Pattern(account) && account.Length > 0 && account != "aws" && !Account().IsMatch(account))
        {
            return $"names the account \"{account}\": an account id is 12 digits";
        }

        return service == "s3" ? S3Problem(region, account, rest, tenantId) : ServiceProblem(service, region, account, rest);
    }

    private static string? S3Problem(string region, string account, string rest, string tenantId)
    {
        if (S3AccountTypes.Any(t => rest.StartsWith(t, StringComparison.Ordinal)))
        {
            return account.Length == 0 ? $"needs an account: arn:aws:s3:REGION:ACCOUNT:{rest}" : null;
        }

        // "*" matches the empty region and account too: AWS's own policies write arn:aws:s3::*:bucket*.
        if (!Empty(region) || !Empty(account))
        {
            return "is an S3 bucket or object ARN, which has no region and no account: write arn:aws:s3:::bucket or arn:aws:s3:::bucket/key";
        }

        // A pattern may match a legacy us-east-1 bucket, whose name could hold capitals and underscores.
        var bucket = SampledText.Fill(rest.Split('/', 2)[0], tenantId);
        return (Pattern(bucket) ? LegacyBucket() : Bucket()).IsMatch(bucket)
            ? null
            : $"names the bucket \"{bucket}\": bucket names are lowercase letters, digits, dots and hyphens (arn:aws:s3:::bucket/key)";
    }

    private static string? ServiceProblem(string service, string region, string account, string rest)
    {
        // Every resource of the service ("arn:aws:kms:*::*", as AWS's own policies write it) needs no region or account spelled out.
        var exception = rest.All(c => c is '*' or ':')
            ? (Service: service, Prefix: string.Empty, NoRegion: true, NoAccount: true)
            : Exceptions.FirstOrDefault(e => e.Service == service && rest.StartsWith(e.Prefix, StringComparison.Ordinal));
        if (RegionAndAccount.Contains(service))
        {
            if (region.Length == 0 && !exception.NoRegion)
            {
                return $"needs a region: arn:aws:{service}:REGION:ACCOUNT:{rest} (a region such as us-east-1, or *)";
            }

            if (account.Length == 0 && !exception.NoAccount)
            {
                return $"needs an account: arn:aws:{service}:{region}:ACCOUNT:{rest} (12 digits, or *)";
            }
        }
        else if (AccountOnly.Contains(service))
        {
            if (region.Length > 0)
            {
                return $"has a region, which {service} ARNs have none of: arn:aws:{service}::ACCOUNT:{rest}";
            }

            if (account.Length == 0)
            {
                return $"needs an account: arn:aws:{service}::ACCOUNT:{rest} (12 digits, or *)";
            }
        }

        return null;
    }

    // A part with a wildcard or a variable in it can match or become anything: only its literal neighbours are checked.
    private static bool Pattern(string part) => part.Contains('*', StringComparison.Ordinal) || part.Contains('?', StringComparison.Ordinal) || SampledText.HasVariable(part);

    [GeneratedRegex(@"^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Region();

    [GeneratedRegex(@"^[0-9]{12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Account();

    private static bool Empty(string part) => part.All(c => c == '*');

    // Wildcards may stand in a bucket name pattern; a variable's sample value is lowercase.
    [GeneratedRegex(@"^[a-z0-9.*?-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Bucket();

    [GeneratedRegex(@"^[A-Za-z0-9._*?-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyBucket();
}
