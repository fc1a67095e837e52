using System.Xml.Linq;

namespace CredentialVending.Local.Sts;

/// <summary>One call's inputs as an action sees them.</summary>
internal sealed record StsContext(StsParameters Parameters, StsPrincipal? Caller, DateTimeOffset Now, CancellationToken Aborted);

/// <summary>An action's answer: the elements of its <c>{Action}Result</c>, or an error.</summary>
internal sealed record StsReply(IReadOnlyList<XElement?> Result, StsError? Error)
{
    /// <summary>The garbling fault to apply to this answer as it is written (none: write it as it is).</summary>
    public StsFaultKind Garble { get; init; }

    public static StsReply Ok(IEnumerable<XElement?> result) => new([.. result], null);

    public static StsReply Fail(StsError error) => new([], error);
}

/// <summary>The STS actions the emulator serves, one file each; this part holds what they share.</summary>
internal sealed partial class StsActions(StsEmulatorOptions options, SessionStore sessions, WebIdentityVerifier webIdentity, AuthorizationMessages messages)
{
    /// <summary>Whether an action must be SigV4-signed; null for an action the emulator does not serve.</summary>
    public static bool? RequiresSignature(string action) => action switch
    {
        "AssumeRole" or "GetCallerIdentity" or "DecodeAuthorizationMessage" => true,
        "AssumeRoleWithWebIdentity" => false,
        "AssumeRoleWithSAML" => false,
        _ => null,
    };

    public Task<StsReply> RunAsync(string action, StsContext context) => action switch
    {
        "AssumeRole" => Task.FromResult(AssumeRole(context)),
        "AssumeRoleWithWebIdentity" => AssumeRoleWithWebIdentityAsync(context),
        "AssumeRoleWithSAML" => Task.FromResult(AssumeRoleWithSaml(context)),
        "GetCallerIdentity" => Task.FromResult(GetCallerIdentity(context)),
        _ => Task.FromResult(DecodeAuthorizationMessage(context)),
    };

    /// <summary>The constraints every assume-role action shares, then the role ARN, the policy and the packed size.</summary>
    /// <remarks>AssumeRoleWithSAML takes no <c>RoleSessionName</c>: the response names the session (<paramref name="namedByCaller"/> false).</remarks>
    private static StsError? CheckAssumeRoleInputs(StsParameters p, StsLimits limits, IReadOnlyList<KeyValuePair<string, string>> tags, bool namedByCaller = true)
    {
        limits.Required("roleArn", p["RoleArn"]);
        limits.Text("roleArn", p["RoleArn"], 20, 2048);
        if (namedByCaller)
        {
            limits.Required("roleSessionName", p["RoleSessionName"]);
            limits.SessionName("roleSessionName", p["RoleSessionName"]);
        }

        limits.Number("durationSeconds", p["DurationSeconds"], 900, 43200);
        limits.Text("policy", p["Policy"], 1, 2048);
        limits.Count("policyArns", p.PolicyArnCount(), 10);
        if (limits.Result() is { } invalid)
        {
            return invalid;
        }

        if (!AwsIds.IsRoleArn(p["RoleArn"]!))
        {
            return StsError.Validation("Request ARN is invalid");
        }

        if (p["Policy"] is { } policy && SessionPolicy.Check(policy) is { } malformed)
        {
            return malformed;
        }

        var packed = SessionPolicy.PercentOf(p["Policy"], tags);
        if (packed > 100)
        {
            return StsError.PackedPolicyTooLarge(tags.Count > 0
                ? $"Packed size of session tags consumes {packed}% of allotted space."
                : $"Packed policy consumes {packed}% of allotted space, please use smaller policy.");
        }

        return null;
    }

    private StsError? CheckRoleDuration(StsParameters p, bool chained)
    {
        var requested = p.Int("DurationSeconds");
        if (chained && requested > 3600)
        {
            return StsError.Validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }

        return requested > options.RoleMaxSessionDurationSeconds
            ? StsError.Validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
            : null;
    }
}
