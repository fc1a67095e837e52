using System.Text.RegularExpressions;

namespace CredentialVending.Local.Sts;

/// <summary><c>AssumeRoleWithSAML</c>: unsigned; the signed SAML response is the credential, and it names the session.</summary>
internal sealed partial class StsActions
{
    private readonly SamlVerifier _saml = new(options);

    private StsReply AssumeRoleWithSaml(StsContext context)
    {
        var p = context.Parameters;
        var limits = new StsLimits();
        limits.Required("principalArn", p["PrincipalArn"]);
        limits.Text("principalArn", p["PrincipalArn"], 20, 2048);
        limits.Required("sAMLAssertion", p["SAMLAssertion"]);
        limits.Text("sAMLAssertion", p["SAMLAssertion"], 4, 100000, echo: false);
        if (CheckAssumeRoleInputs(p, limits, [], namedByCaller: false) is { } invalid)
        {
            return StsReply.Fail(invalid);
        }

        if (!SamlProviderArn().IsMatch(p["PrincipalArn"]!))
        {
            return StsReply.Fail(StsError.Validation("Request ARN is invalid"));
        }

        var roleArn = p["RoleArn"]!;
        var (identity, refused) = _saml.Verify(p["SAMLAssertion"]!, roleArn, p["PrincipalArn"]!, context.Now);
        if (refused is not null)
        {
            return StsReply.Fail(refused);
        }

        if (CheckRoleDuration(p, chained: false) is { } tooLong)
        {
            return StsReply.Fail(tooLong);
        }

        var grant = new SessionGrant("AssumeRoleWithSAML", roleArn, identity!.SessionName, p.Int("DurationSeconds") ?? 3600, p["Policy"],
            identity.SourceIdentity, [], SessionPolicy.PackedBytes(p["Policy"], []));
        var session = sessions.Issue(grant, context.Now);
        return StsReply.Ok(SessionStore.ResultElements(session, grant).Concat(
        [
            StsXml.E("Subject", identity.Subject),
            StsXml.E("SubjectType", identity.SubjectType),
            StsXml.E("Issuer", identity.Issuer),
            StsXml.E("Audience", identity.Audience),
            StsXml.E("NameQualifier", SamlVerifier.NameQualifier(identity)),
        ]));
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::[0-9]{12}:saml-provider/[A-Za-z0-9_+=,.@-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SamlProviderArn();
}
