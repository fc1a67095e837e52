namespace CredentialVending.Local.Sts;

/// <summary><c>AssumeRole</c>: signed by the configured caller (or, chaining, by a session), with the role's external id when its trust demands one.</summary>
internal sealed partial class StsActions
{
    private StsReply AssumeRole(StsContext context)
    {
        var p = context.Parameters;
        var caller = context.Caller!;
        var tags = p.Tags();
        var transitive = p.List("TransitiveTagKeys");
        var limits = new StsLimits();
        limits.ExternalId(p["ExternalId"]);
        limits.SessionName("sourceIdentity", p["SourceIdentity"]);
        limits.Tags(tags);
        limits.Count("transitiveTagKeys", transitive.Count, 50);
        if (CheckAssumeRoleInputs(p, limits, tags) is { } invalid)
        {
            return StsReply.Fail(invalid);
        }

        if (tags.GroupBy(t => t.Key, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            return StsReply.Fail(StsError.InvalidParameterValue("Duplicate tag keys found. Please note that Tag keys are case insensitive."));
        }

        if (transitive.Any(k => !tags.Any(t => string.Equals(t.Key, k, StringComparison.OrdinalIgnoreCase))))
        {
            return StsReply.Fail(StsError.InvalidParameterValue("The specified transitive tag key must be included in the requested tags."));
        }

        var roleArn = p["RoleArn"]!;
        if (options.RequiredExternalIds.TryGetValue(roleArn, out var externalId) && p["ExternalId"] != externalId)
        {
            return StsReply.Fail(StsError.NotAuthorized(caller.Arn, "AssumeRole", roleArn));
        }

        if (CheckRoleDuration(p, chained: caller.Session is not null) is { } tooLong)
        {
            return StsReply.Fail(tooLong);
        }

        // A source identity, once set, follows a session through role chaining.
        var grant = new SessionGrant("AssumeRole", roleArn, p["RoleSessionName"]!, p.Int("DurationSeconds") ?? 3600, p["Policy"],
            caller.Session?.SourceIdentity ?? p["SourceIdentity"], tags, SessionPolicy.PackedBytes(p["Policy"], tags));
        var session = sessions.Issue(grant, context.Now);
        return StsReply.Ok(SessionStore.ResultElements(session, grant));
    }
}
