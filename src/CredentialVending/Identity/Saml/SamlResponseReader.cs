using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using CredentialVending.Common;
using CredentialVending.Tenants;

namespace CredentialVending.Identity.Saml;

/// <summary>
/// Reads a saml tenant's caller from the base64 SAML response they post (docs/api.md "SAML tenants"), before STS is
/// called: the shape (<see cref="SamlDocument"/>), then the tenant's issuer, AWS's audience, the time window, the Role
/// attribute, the subject and the mapped claims. It cannot check the signature (only STS, holding the IAM SAML provider,
/// can), so STS's answer is held to what is read here afterwards. A refusal never quotes the response.
/// </summary>
public static partial class SamlResponseReader
{
    /// <summary>STS's own limit on <c>SAMLAssertion</c> (and its least, 4).</summary>
    public const int MaxLength = 100_000;
    public const int MinLength = 4;

    public const string RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";
    public const string RoleSessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    private const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";

    public static Outcome<Caller> Read(string? samlResponse, TenantDocument tenant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var saml = tenant.Identity.Saml ?? throw new ArgumentException("The tenant is not a saml tenant.", nameof(tenant));

        // Identity providers and tools wrap base64 at 64 or 76 characters; the wrapping is no part of the response, so it
        // is dropped before STS's length limit is counted and before the response is sent on (docs/api.md "SAML tenants").
        samlResponse = Unwrapped(samlResponse);
        if (samlResponse is not { Length: >= MinLength and <= MaxLength })
        {
            return Invalid($"must be {MinLength} to {MaxLength} characters of base64 (STS's limit)");
        }

        byte[] xml;
        try
        {
            xml = Convert.FromBase64String(samlResponse);
        }
        catch (FormatException)
        {
            return Invalid("is not base64");
        }

        var (document, problem) = SamlDocument.Read(xml, MaxLength);
        if (problem is not null)
        {
            return Invalid(problem);
        }

        return Check(document!, saml, tenant, now) is { } refused ? refused : ToCaller(document!, saml, tenant, samlResponse);
    }

    // The whitespace Convert.FromBase64String skips.
    private static string? Unwrapped(string? base64) =>
        base64 is null || base64.AsSpan().IndexOfAny(" \t\r\n") < 0
            ? base64
            : string.Concat(base64.Where(c => c is not (' ' or '\t' or '\r' or '\n')));

    private static Refusal? Check(SamlDocument d, SamlSettings saml, TenantDocument tenant, DateTimeOffset now)
    {
        if (d.StatusCode != Success)
        {
            return Invalid("does not have a Success status");
        }

        if (d.Issuer != saml.EntityId || d.ResponseIssuer is not null && d.ResponseIssuer != saml.EntityId)
        {
            return Invalid("is not issued by the tenant's identity provider (identity.saml.entityId)");
        }

        if (d.AudienceRestrictions.Count == 0 || d.AudienceRestrictions.Any(r => !r.Any(IsSignInEndpoint)))
        {
            return Invalid("is not for AWS: every AudienceRestriction must name https://signin.aws.amazon.com/saml or a regional sign-in endpoint");
        }

        if (d.Recipient is null || !IsSignInEndpoint(d.Recipient) || d.ConfirmationNotOnOrAfter is null)
        {
            return Invalid("has no bearer SubjectConfirmationData with an AWS sign-in Recipient and a NotOnOrAfter");
        }

        if (WindowProblem(d, now) is { } window)
        {
            return Invalid(window);
        }

        if (string.IsNullOrEmpty(d.NameId))
        {
            return Invalid("has no NameID, which STS answers as the session's Subject");
        }

        var roles = Values(d, RoleAttribute);
        if (!roles.Any(r => NamesRole(r, tenant.Issuance.RoleArn, saml.ProviderArn)))
        {
            return new Refusal(Codes.Forbidden, $"The SAML response's Role attribute does not name tenant {tenant.TenantId}'s role with its SAML provider.");
        }

        return Values(d, RoleSessionNameAttribute) is [var name] && Issuing.StsInputs.FitsSessionName(name)
            ? null
            : Invalid("needs one RoleSessionName attribute value of 2 to 64 of A-Z a-z 0-9 _ + = , . @ - (STS's pattern)");
    }

    private static string? WindowProblem(SamlDocument d, DateTimeOffset now)
    {
        var skew = TokenAuthenticator.ClockSkew;
        if (!Instant(d.IssueInstant, out var issued) || issued is null)
        {
            return "has no readable IssueInstant on its Assertion";
        }

        if (!Instant(d.NotBefore, out var notBefore) || !Instant(d.NotOnOrAfter, out var notOnOrAfter)
            || !Instant(d.ConfirmationNotBefore, out var confirmBefore) || !Instant(d.ConfirmationNotOnOrAfter, out var confirmUntil))
        {
            return "has a time that is not an xs:dateTime";
        }

        if (issued > now + skew || notBefore > now + skew || confirmBefore > now + skew)
        {
            return "is not valid yet (IssueInstant or NotBefore is in the future)";
        }

        return notOnOrAfter <= now - skew || confirmUntil <= now - skew
            ? "has expired (NotOnOrAfter has passed)"
            : null;
    }

    private static Outcome<Caller> ToCaller(SamlDocument d, SamlSettings saml, TenantDocument tenant, string samlResponse)
    {
        var subjects = saml.Subject == SamlSettings.NameId ? [d.NameId!] : Values(d, saml.Subject);
        if (subjects is not [var subject] || subject.Length == 0)
        {
            return Invalid($"does not name its subject with one value ({saml.Subject})");
        }

        Instant(d.IssueInstant, out var issued);
        var claims = Claims(d, saml, subject, issued!.Value);
        if (tenant.Identity.TenantClaim is { } tenantClaim && claims.GetString(tenantClaim) != tenant.TenantId)
        {
            return Invalid($"does not name tenant {tenant.TenantId} in its {tenantClaim} claim");
        }

        var facts = new SamlFacts(d.NameId!, d.Issuer!, d.Recipient!, Values(d, RoleSessionNameAttribute)[0], issued.Value);
        return new Caller(tenant.TenantId, saml.EntityId, subject, claims, samlResponse) { Saml = facts };
    }

    /// <summary>The subject, the issue time as iat (which the revocation check reads), and the mapped attributes.</summary>
    private static ClaimSet Claims(SamlDocument d, SamlSettings saml, string subject, DateTimeOffset issued)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(TenantDocumentReader.SamlSubjectClaim, subject);
            json.WriteNumber("iat", issued.ToUnixTimeSeconds());
            foreach (var (attribute, claim) in saml.Attributes)
            {
                switch (Values(d, attribute))
                {
                    case []:
                        break;
                    case [var one]:
                        json.WriteString(claim, one);
                        break;
                    case var many:
                        json.WriteStartArray(claim);
                        foreach (var value in many)
                        {
                            json.WriteStringValue(value);
                        }

                        json.WriteEndArray();
                        break;
                }
            }

            json.WriteEndObject();
        }

        using var parsed = JsonDocument.Parse(buffer.WrittenMemory);
        return ClaimSet.FromJsonObject(parsed.RootElement);
    }

    private static List<string> Values(SamlDocument d, string attribute) =>
        d.Attributes.FirstOrDefault(a => a.Key == attribute).Value ?? [];

    /// <summary>AWS reads a Role value as the role and the provider, comma separated, in either order.</summary>
    private static bool NamesRole(string value, string roleArn, string providerArn) =>
        value.Split(',') is [var a, var b] && (a.Trim() == roleArn && b.Trim() == providerArn || a.Trim() == providerArn && b.Trim() == roleArn);

    public static bool IsSignInEndpoint(string url) => SignInEndpoint().IsMatch(url);

    /// <summary>An absent time is no bound (true, null); a present one must parse.</summary>
    private static bool Instant(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        try
        {
            value = XmlConvert.ToDateTimeOffset(text.Trim());
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static Refusal Invalid(string problem) => new(Codes.InvalidToken, $"The SAML response {problem}.");

    [GeneratedRegex(@"^https://(?:[a-z]{2}(?:-[a-z]+)+-[0-9]\.)?signin\.aws\.amazon\.com/saml\z", RegexOptions.CultureInvariant)]
    private static partial Regex SignInEndpoint();
}
