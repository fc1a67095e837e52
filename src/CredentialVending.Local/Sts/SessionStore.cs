using System.Collections.Concurrent;
using System.Xml.Linq;

namespace CredentialVending.Local.Sts;

/// <summary>What an assume-role call asks for, once its parameters have passed STS's checks.</summary>
internal sealed record SessionGrant(
    string IssuedBy,
    string RoleArn,
    string RoleSessionName,
    int DurationSeconds,
    string? Policy,
    string? SourceIdentity,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    int PackedBytes)
{
    public string? WebIdentityIssuer { get; init; }

    public string? WebIdentitySubject { get; init; }

    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];
}

/// <summary>The sessions an emulator issued, by access key id, so signed calls made with them can be verified.</summary>
internal sealed class SessionStore
{
    private readonly ConcurrentDictionary<string, IssuedSession> _sessions = new(StringComparer.Ordinal);

    public IssuedSession Issue(SessionGrant grant, DateTimeOffset now)
    {
        var session = new IssuedSession
        {
            AccessKeyId = AwsIds.NewTemporaryAccessKeyId(),
            SecretAccessKey = AwsIds.NewSecretAccessKey(),
            SessionToken = AwsIds.NewSessionToken(grant.PackedBytes),
            Expiration = TruncateToSecond(now).AddSeconds(grant.DurationSeconds),
            IssuedBy = grant.IssuedBy,
            RoleArn = grant.RoleArn,
            RoleSessionName = grant.RoleSessionName,
            AssumedRoleArn = AwsIds.AssumedRoleArn(grant.RoleArn, grant.RoleSessionName),
            AssumedRoleId = AwsIds.RoleId(grant.RoleArn) + ":" + grant.RoleSessionName,
            Policy = grant.Policy,
            SourceIdentity = grant.SourceIdentity,
            Tags = grant.Tags,
            TransitiveTagKeys = grant.TransitiveTagKeys,
            WebIdentityIssuer = grant.WebIdentityIssuer,
            WebIdentitySubject = grant.WebIdentitySubject,
        };
        _sessions[session.AccessKeyId] = session;
        return session;
    }

    public bool TryFind(string accessKeyId, out IssuedSession session) => _sessions.TryGetValue(accessKeyId, out session!);

    /// <summary>The result elements every assume-role answer shares.</summary>
    public static IEnumerable<XElement?> ResultElements(IssuedSession session, SessionGrant grant)
    {
        yield return StsXml.E("Credentials", new[]
        {
            StsXml.E("AccessKeyId", session.AccessKeyId),
            StsXml.E("SecretAccessKey", session.SecretAccessKey),
            StsXml.E("SessionToken", session.SessionToken),
            StsXml.E("Expiration", StsXml.Timestamp(session.Expiration)),
        });
        yield return StsXml.E("AssumedRoleUser", new[]
        {
            StsXml.E("AssumedRoleId", session.AssumedRoleId),
            StsXml.E("Arn", session.AssumedRoleArn),
        });

        // STS reports the packed size only when a session policy or tags were passed.
        if (grant.Policy is not null || grant.Tags.Count > 0)
        {
            yield return StsXml.E("PackedPolicySize", SessionPolicy.PackedPercent(grant.PackedBytes));
        }

        yield return StsXml.Optional("SourceIdentity", session.SourceIdentity);
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset);
}
