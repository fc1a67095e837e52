using System.Text.Json;
using CredentialVending.Scoping;

namespace CredentialVending.Tenants;

public static partial class TenantDocumentReader
{
    /// <summary>The claim a saml tenant's subject is put in, so that preview, scopes and templates read it as in the other modes.</summary>
    public const string SamlSubjectClaim = "sub";

    private const int MaxSamlNameLength = 1024;
    private const int MaxSamlAttributes = 50;

    private static readonly string[] SamlFields = ["entityId", "providerArn", "subject", "attributes"];

    /// <summary>Whether the body asks for saml mode: the identity block's rules depend on it, and it is read before the issuance block.</summary>
    private static bool AsksForSaml(JsonElement root) =>
        Findings.TryGet(root, "issuance", out var issuance) && issuance.ValueKind == JsonValueKind.Object
        && Findings.TryGet(issuance, "mode", out var mode) && mode.ValueKind == JsonValueKind.String && mode.GetString() == "saml";

    private static SamlSettings? ReadSaml(JsonElement identity, bool samlMode, Findings findings)
    {
        if (!samlMode)
        {
            if (Findings.TryGet(identity, "saml", out _))
            {
                findings.Add("identity.saml", "is read only in saml mode (issuance.mode saml)");
            }

            return null;
        }

        if (findings.Object(identity, "saml", "identity", required: true, SamlFields) is not { } saml)
        {
            return null;
        }

        var entityId = findings.String(saml, "entityId", "identity.saml", required: true, MaxSamlNameLength);
        if (entityId is not null && !IsSamlName(entityId))
        {
            findings.Add("identity.saml.entityId", "must be printable text without spaces: the identity provider's entity id, as its assertions' Issuer names it");
            entityId = null;
        }

        var providerArn = findings.String(saml, "providerArn", "identity.saml", required: true, 2048);
        if (providerArn is not null && !TenantPatterns.SamlProviderArn().IsMatch(providerArn))
        {
            findings.Add("identity.saml.providerArn", "must be arn:aws:iam::<12 digits>:saml-provider/<name> (1 to 128 of A-Z a-z 0-9 _ . -)");
            providerArn = null;
        }

        var subject = findings.String(saml, "subject", "identity.saml", required: false, MaxSamlNameLength);
        if (subject is not null && subject != SamlSettings.NameId && !IsSamlName(subject))
        {
            findings.Add("identity.saml.subject", "must be nameId or the name of the attribute that holds the subject");
        }

        var attributes = ReadSamlAttributes(saml, findings);
        return entityId is null || providerArn is null
            ? null
            : new SamlSettings { EntityId = entityId, ProviderArn = providerArn, Subject = subject ?? SamlSettings.NameId, Attributes = attributes };
    }

    private static List<KeyValuePair<string, string>> ReadSamlAttributes(JsonElement saml, Findings findings)
    {
        var map = new List<KeyValuePair<string, string>>();
        if (!Findings.TryGet(saml, "attributes", out var value))
        {
            return map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            findings.Add("identity.saml.attributes", "must be an object of SAML attribute names to claim names");
            return map;
        }

        foreach (var attribute in value.EnumerateObject())
        {
            var at = $"identity.saml.attributes.{attribute.Name}";
            if (attribute.Name.Length is 0 or > MaxSamlNameLength || !IsSamlName(attribute.Name))
            {
                findings.Add(at, $"must be named by 1 to {MaxSamlNameLength} printable characters without spaces: a SAML attribute's Name");
                continue;
            }

            if (findings.String(attribute.Value, at, 256) is not { } claim)
            {
                continue;
            }

            if (!Template.ClaimName().IsMatch(claim))
            {
                findings.Add(at, "must name a claim by printable ASCII without braces or spaces, as {{claim:NAME}} reads it");
            }
            else if (claim is SamlSubjectClaim or "iat")
            {
                findings.Add(at, $"must not be {claim}: the service fills it (the subject, or the assertion's IssueInstant)");
            }
            else if (map.Any(m => m.Value == claim))
            {
                findings.Add(at, $"maps to claim {claim}, which another attribute already fills: one claim would read two attributes");
            }
            else
            {
                map.Add(new(attribute.Name, claim));
            }
        }

        if (map.Count > MaxSamlAttributes)
        {
            findings.Add("identity.saml.attributes", $"maps {map.Count} attributes; at most {MaxSamlAttributes} are read");
        }

        return map;
    }

    /// <summary>A saml tenant's bearer issuer is optional, but then both halves: an issuer without audiences takes no token.</summary>
    private static void CheckSamlBearer(JsonElement identity, string? tenantClaim, SamlSettings? saml, Findings findings)
    {
        var hasIssuer = Findings.TryGet(identity, "issuer", out _);
        var hasAudiences = Findings.TryGet(identity, "audiences", out _);
        if (hasIssuer != hasAudiences)
        {
            findings.Add(hasIssuer ? "identity.audiences" : "identity.issuer",
                "is required with the other: a saml tenant's bearer issuer (for its operator routes) needs both issuer and audiences");
        }

        if (tenantClaim is not null && saml is not null && tenantClaim != SamlSubjectClaim && saml.Attributes.All(a => a.Value != tenantClaim))
        {
            findings.Add("identity.tenantClaim", "names no claim of identity.saml.attributes, so no SAML response could carry it");
        }
    }

    // Printable, no spaces or control characters: entity ids are URIs, attribute names URIs or plain names.
    private static bool IsSamlName(string text) => text.All(c => c > ' ' && c != '\u007f' && !char.IsWhiteSpace(c) && !char.IsControl(c));
}
