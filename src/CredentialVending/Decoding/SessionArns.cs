using System.Text.RegularExpressions;

namespace CredentialVending.Decoding;

/// <summary>A role, as its ARN names it: partition, account and name (IAM's path is not part of an assumed-role ARN).</summary>
public sealed record RoleName(string Partition, string Account, string Name);

/// <summary>An assumed-role session, as STS's ARN for it names it.</summary>
public sealed record AssumedRole(RoleName Role, string SessionName);

/// <summary>Reads role and assumed-role ARNs, so a decoded message's principal can be matched to a tenant's role.</summary>
public static partial class SessionArns
{
    /// <summary><c>arn:aws:iam::123456789012:role/path/name</c>; null for anything else.</summary>
    public static RoleName? ReadRole(string? arn)
    {
        var match = RoleArn().Match(arn ?? string.Empty);
        return match.Success
            ? new RoleName(match.Groups["partition"].Value, match.Groups["account"].Value, match.Groups["path"].Value.Split('/')[^1])
            : null;
    }

    /// <summary><c>arn:aws:sts::123456789012:assumed-role/name/session</c>; null for anything else.</summary>
    public static AssumedRole? ReadAssumedRole(string? arn)
    {
        var match = AssumedRoleArn().Match(arn ?? string.Empty);
        return match.Success
            ? new AssumedRole(new RoleName(match.Groups["partition"].Value, match.Groups["account"].Value, match.Groups["role"].Value), match.Groups["session"].Value)
            : null;
    }

    [GeneratedRegex(@"^arn:(?<partition>aws[a-z-]*):iam::(?<account>[0-9]{12}):role/(?<path>[A-Za-z0-9_+=,.@/-]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArn();

    // STS session names: 2-64 of [\w+=,.@-], \w in its ASCII sense.
    [GeneratedRegex(@"^arn:(?<partition>aws[a-z-]*):sts::(?<account>[0-9]{12}):assumed-role/(?<role>[A-Za-z0-9_+=,.@-]+)/(?<session>[A-Za-z0-9_+=,.@-]{2,64})\z", RegexOptions.CultureInvariant)]
    private static partial Regex AssumedRoleArn();
}
