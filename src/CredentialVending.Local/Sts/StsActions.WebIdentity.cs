namespace CredentialVending.Local.Sts;

/// <summary><c>AssumeRoleWithWebIdentity</c>: unsigned; the token is the credential.</summary>
internal sealed partial class StsActions
{
    private async Task<StsReply> AssumeRoleWithWebIdentityAsync(StsContext context)
    {
        var p = context.Parameters;
        var limits = new StsLimits();
        limits.Required("webIdentityToken", p["WebIdentityToken"]);
        limits.Text("webIdentityToken", p["WebIdentityToken"], 4, 20000, echo: false);
        limits.Text("providerId", p["ProviderId"], 4, 2048);
        if (CheckAssumeRoleInputs(p, limits, []) is { } invalid)
        {
            return StsReply.Fail(invalid);
        }

        var roleArn = p["RoleArn"]!;
        var (identity, refused) = await webIdentity.VerifyAsync(p["WebIdentityToken"]!, roleArn, context.Aborted).ConfigureAwait(false);
        if (refused is not null)
        {
            return StsReply.Fail(refused);
        }

        if (CheckRoleDuration(p, chained: false) is { } tooLong)
        {
            return StsReply.Fail(tooLong);
        }

        // The token's tags count against the packed size as passed tags do.
        if (identity!.Tags.Count > 0 && SessionPolicy.PercentOf(p["Policy"], identity.Tags) is var packed and > 100)
        {
            return StsReply.Fail(StsError.PackedPolicyTooLarge($"Packed size of session tags consumes {packed}% of allotted space."));
        }

        var claimed = new StsLimits();
        claimed.SessionName("sourceIdentity", identity.SourceIdentity);
        if (claimed.Result() is { } badSource)
        {
            return StsReply.Fail(StsError.InvalidIdentityToken("The web identity token's source identity is invalid: " + badSource.Message));
        }

        var grant = new SessionGrant("AssumeRoleWithWebIdentity", roleArn, p["RoleSessionName"]!, p.Int("DurationSeconds") ?? 3600, p["Policy"],
            identity.SourceIdentity, identity.Tags, SessionPolicy.PackedBytes(p["Policy"], identity.Tags))
        {
            WebIdentityIssuer = identity.Issuer,
            WebIdentitySubject = identity.Subject,
            TransitiveTagKeys = identity.TransitiveTagKeys,
        };
        var session = sessions.Issue(grant, context.Now);

        // Real STS names the IAM OIDC provider's ARN here (the API reference says the iss; observed answers say the ARN).
        var provider = $"arn:aws:iam::{AwsIds.AccountOf(roleArn)}:oidc-provider/{new Uri(identity.Issuer).GetComponents(UriComponents.HostAndPort | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/')}";
        return StsReply.Ok(SessionStore.ResultElements(session, grant).Concat(
        [
            StsXml.E("SubjectFromWebIdentityToken", identity.Subject),
            StsXml.E("Audience", identity.Audience),
            StsXml.E("Provider", provider),
        ]));
    }
}
