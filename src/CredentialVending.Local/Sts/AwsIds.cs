using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CredentialVending.Local.Sts;

/// <summary>Identifiers and credentials in the shapes AWS uses, so code that parses or logs them meets real formats.</summary>
internal static partial class AwsIds
{
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    // Real session tokens are base64 of a binary blob that begins "!\n\torigin_ec": the same prefix shows here.
    private const string SessionTokenPrefix = "IQoJb3JpZ2luX2Vj";

    /// <summary><c>ASIA</c> and 16 characters: the prefix of temporary credentials.</summary>
    public static string NewTemporaryAccessKeyId() => "ASIA" + RandomNumberGenerator.GetString(Base32, 16);

    public static string NewSecretAccessKey() => RandomNumberGenerator.GetString(SecretAlphabet, 40);

    /// <summary>A token that grows with what it carries, as real ones do with session policies and tags.</summary>
    public static string NewSessionToken(int packedBytes) =>
        SessionTokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(420 + packedBytes));

    /// <summary>A role's unique id (<c>AROA</c> and 17 characters), the same for the same role, whatever its path,
    /// so the id in an assumed-role ARN's principal can be found again from that ARN alone.</summary>
    public static string RoleId(string roleArn)
    {
        var match = RoleArnPattern().Match(roleArn);
        var seed = match.Success
            ? $"{match.Groups["partition"].Value}:{match.Groups["account"].Value}:{match.Groups["path"].Value.Split('/')[^1]}"
            : roleArn;
        return "AROA" + Stable(seed);
    }

    /// <summary>An IAM user's unique id (<c>AIDA</c> and 17 characters), the same for the same ARN.</summary>
    public static string UserId(string userArn) => "AIDA" + Stable(userArn);

    public static bool IsRoleArn(string value) => RoleArnPattern().IsMatch(value);

    /// <summary>The assumed-role ARN names the role without its path, as STS does.</summary>
    public static string AssumedRoleArn(string roleArn, string sessionName)
    {
        var match = RoleArnPattern().Match(roleArn);
        var name = match.Groups["path"].Value.Split('/')[^1];
        return $"arn:{match.Groups["partition"].Value}:sts::{match.Groups["account"].Value}:assumed-role/{name}/{sessionName}";
    }

    public static string AccountOf(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length > 4 ? parts[4] : string.Empty;
    }

    /// <summary>The principal id STS reports for an ARN: <c>AROA...:session</c> for an assumed role, <c>AIDA...</c> otherwise.</summary>
    public static string PrincipalIdOf(string arn)
    {
        var match = AssumedRolePattern().Match(arn);
        if (!match.Success)
        {
            return UserId(arn);
        }

        var roleArn = $"arn:{match.Groups["partition"].Value}:iam::{match.Groups["account"].Value}:role/{match.Groups["role"].Value}";
        return RoleId(roleArn) + ":" + match.Groups["session"].Value;
    }

    private static string Stable(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        var chars = new char[17];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base32[hash[i] % 32];
        }

        return new string(chars);
    }

    [GeneratedRegex(@"^arn:(?<partition>aws[a-z-]*):iam::(?<account>[0-9]{12}):role/(?<path>[A-Za-z0-9_+=,.@/-]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^arn:(?<partition>aws[a-z-]*):sts::(?<account>[0-9]{12}):assumed-role/(?<role>[^/]+)/(?<session>.+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex AssumedRolePattern();
}
