using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tenants.Lint;

namespace CredentialVending.Tenants;

/// <summary>
/// Reads a <c>PUT /admin/tenants/{tenantId}</c> body against docs/api.md's rules. A body that is not a JSON object is
/// <c>invalid_request</c>; any broken rule is <c>invalid_tenant</c> listing every problem at once, so an operator fixes all in one go.
/// </summary>
public static partial class TenantDocumentReader
{
    // Duplicate names would leave "which one counts" to the parser: in a policy that is a security question, so refuse them.
    private static readonly JsonDocumentOptions ParseOptions = new() { AllowDuplicateProperties = false };

    private static readonly string[] TopFields =
        ["tenantId", "version", "displayName", "status", "identity", "issuance", "scopes", "defaultScopes", "sessionTags", "permissions", "limits"];

    private static readonly string[] IdentityFields = ["issuer", "audiences", "subjectClaim", "tenantClaim", "saml"];

    /// <summary>Reads a document being put: every rule, the onboarding lint (<see cref="TenantLint"/>) included.</summary>
    public static Outcome<TenantDocument> Read(ReadOnlySpan<byte> utf8Json, string pathTenantId, bool allowInsecureLoopbackIssuers) =>
        Read(utf8Json, pathTenantId, allowInsecureLoopbackIssuers, lint: true);

    /// <summary>
    /// Reads a document stored by an earlier PUT, without the lint: a lint made stricter since (or a newer IAM action list)
    /// must never make a live tenant unreadable. Preview reports what the lint would now say with <see cref="TenantLint.Check"/>.
    /// </summary>
    public static Outcome<TenantDocument> ReadStored(ReadOnlySpan<byte> utf8Json, string tenantId, bool allowInsecureLoopbackIssuers) =>
        Read(utf8Json, tenantId, allowInsecureLoopbackIssuers, lint: false);

    private static Outcome<TenantDocument> Read(ReadOnlySpan<byte> utf8Json, string pathTenantId, bool allowInsecureLoopbackIssuers, bool lint)
    {
        ArgumentNullException.ThrowIfNull(pathTenantId);
        JsonElement root;
        try
        {
            using var parsed = JsonDocument.Parse(utf8Json.ToArray(), ParseOptions);
            root = parsed.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Refusal.InvalidRequest($"the body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check reads every name, and throws this for a name escaping a lone surrogate.
            return Refusal.InvalidRequest("the body holds a name with a lone surrogate escape, which no text can hold");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Refusal.InvalidRequest("the body must be a JSON object: a tenant document");
        }

        if (Findings.HasBrokenText(root))
        {
            return Refusal.InvalidRequest("the body holds a string with a lone surrogate escape, which no text can hold");
        }

        var findings = new Findings();
        var statementLint = lint ? new StatementLint(pathTenantId) : null;
        findings.UnknownFields(root, string.Empty, TopFields);
        CheckTenantId(root, pathTenantId, findings);
        var displayName = findings.String(root, "displayName", string.Empty, required: false, maxLength: 256);
        var status = ReadStatus(root, findings);
        var identity = ReadIdentity(root, allowInsecureLoopbackIssuers, findings);
        var issuance = ReadIssuance(root, findings);
        var scopes = ReadScopes(root, statementLint, findings);
        var defaultScopes = ReadDefaultScopes(root, findings);
        var sessionTags = ReadSessionTags(root, issuance?.Mode, findings);
        statementLint?.Document(issuance?.Mode, sessionTags, findings);
        var permissions = ReadPermissions(root, findings);
        var limits = ReadLimits(root, findings);

        if (findings.Count > 0 || status is null || identity is null || issuance is null || scopes is null)
        {
            return new Refusal(
                Codes.InvalidTenant,
                findings.Count == 1 ? "the tenant document has 1 problem" : $"the tenant document has {findings.Count} problems",
                findings.Errors);
        }

        return new TenantDocument
        {
            TenantId = pathTenantId,
            DisplayName = displayName,
            Status = status.Value,
            Identity = identity,
            Issuance = issuance,
            Scopes = scopes,
            DefaultScopes = defaultScopes,
            SessionTags = sessionTags,
            Permissions = permissions,
            Limits = limits,
        };
    }

    private static void CheckTenantId(JsonElement root, string pathTenantId, Findings findings)
    {
        if (!TenantPatterns.TenantId().IsMatch(pathTenantId))
        {
            findings.Add("tenantId", "must be 2 to 63 of a-z, 0-9 and -, starting with a letter or digit");
        }

        // The path names the tenant; the body may leave it out, but may not name another.
        if (Findings.TryGet(root, "tenantId", out var named)
            && (named.ValueKind != JsonValueKind.String || named.GetString() != pathTenantId))
        {
            findings.Add("tenantId", "names another tenant than the path");
        }
    }

    private static TenantStatus? ReadStatus(JsonElement root, Findings findings)
    {
        switch (findings.String(root, "status", string.Empty, required: true))
        {
            case "active":
                return TenantStatus.Active;
            case "suspended":
                return TenantStatus.Suspended;
            case null:
                return null;
            default:
                findings.Add("status", "must be active or suspended");
                return null;
        }
    }

    private static IdentitySettings? ReadIdentity(JsonElement root, bool allowInsecureLoopbackIssuers, Findings findings)
    {
        if (findings.Object(root, "identity", string.Empty, required: true, IdentityFields) is not { } identity)
        {
            return null;
        }

        var samlMode = AsksForSaml(root);
        var issuer = findings.String(identity, "issuer", "identity", required: !samlMode, maxLength: 2048);
        if (issuer is not null)
        {
            // The same rule the token validator applies, so PUT never accepts an issuer no token could come from.
            if (!IssuerUrls.IsAllowed(issuer, allowInsecureLoopbackIssuers, out var reason))
            {
                findings.Add("identity.issuer", reason);
            }
            else if (issuer.Contains('?', StringComparison.Ordinal))
            {
                findings.Add("identity.issuer", "must not carry a query: an OpenID issuer has none");
            }
        }

        var audiences = findings.Strings(identity, "audiences", "identity", required: !samlMode);
        var subjectClaim = findings.String(identity, "subjectClaim", "identity", required: false, maxLength: 256);
        var tenantClaim = findings.String(identity, "tenantClaim", "identity", required: false, maxLength: 256);
        var saml = ReadSaml(identity, samlMode, findings);
        if (samlMode)
        {
            CheckSamlBearer(identity, tenantClaim, saml, findings);
            if (subjectClaim is not null && subjectClaim != SamlSubjectClaim)
            {
                findings.Add("identity.subjectClaim", "is not read in saml mode: identity.saml.subject says where the subject comes from");
            }
        }

        return (samlMode ? saml is null : issuer is null || audiences is null)
            ? null
            : new IdentitySettings
            {
                Issuer = issuer,
                Audiences = audiences ?? [],
                SubjectClaim = samlMode ? SamlSubjectClaim : subjectClaim ?? "sub",
                TenantClaim = tenantClaim,
                Saml = saml,
            };
    }
}
