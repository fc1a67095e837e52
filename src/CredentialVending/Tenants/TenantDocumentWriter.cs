using System.Buffers;
using System.Text.Json;
using CredentialVending.Scoping;

namespace CredentialVending.Tenants;

/// <summary>
/// A document's canonical JSON: docs/api.md's shape and field order, defaults written out, absent options left out.
/// Canonical because the store compares it byte for byte to make a repeated PUT leave one version.
/// </summary>
public static class TenantDocumentWriter
{
    public static byte[] Write(TenantDocument document, long? version = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, PolicyWriter.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("tenantId", document.TenantId);
            if (version is { } v)
            {
                writer.WriteNumber("version", v);
            }

            WriteOptional(writer, "displayName", document.DisplayName);
            writer.WriteString("status", document.Status == TenantStatus.Active ? "active" : "suspended");
            WriteIdentity(writer, document.Identity);
            WriteIssuance(writer, document.Issuance);
            WriteScopes(writer, document.Scopes);
            if (document.DefaultScopes is { } defaults)
            {
                WriteStrings(writer, "defaultScopes", defaults);
            }

            if (document.SessionTags.Count > 0)
            {
                writer.WriteStartObject("sessionTags");
                foreach (var (key, value) in document.SessionTags)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            WritePermissions(writer, document.Permissions);
            if (document.Limits is { } limits)
            {
                writer.WriteStartObject("limits");
                if (limits.RequestsPerMinute is { } perMinute)
                {
                    writer.WriteNumber("requestsPerMinute", perMinute);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteIdentity(Utf8JsonWriter writer, IdentitySettings identity)
    {
        writer.WriteStartObject("identity");
        WriteOptional(writer, "issuer", identity.Issuer);
        if (identity.Issuer is not null)
        {
            WriteStrings(writer, "audiences", identity.Audiences);
        }

        writer.WriteString("subjectClaim", identity.SubjectClaim);
        WriteOptional(writer, "tenantClaim", identity.TenantClaim);
        if (identity.Saml is { } saml)
        {
            WriteSaml(writer, saml);
        }

        writer.WriteEndObject();
    }

    private static void WriteIssuance(Utf8JsonWriter writer, IssuanceSettings issuance)
    {
        writer.WriteStartObject("issuance");
        writer.WriteString("mode", IssuanceModes.Name(issuance.Mode));
        writer.WriteString("roleArn", issuance.RoleArn);
        WriteOptional(writer, "externalId", issuance.ExternalId);
        writer.WriteNumber("defaultDurationSeconds", issuance.DefaultDurationSeconds);
        writer.WriteNumber("maxDurationSeconds", issuance.MaxDurationSeconds);
        writer.WriteEndObject();
    }

    private static void WriteSaml(Utf8JsonWriter writer, SamlSettings saml)
    {
        writer.WriteStartObject("saml");
        writer.WriteString("entityId", saml.EntityId);
        writer.WriteString("providerArn", saml.ProviderArn);
        writer.WriteString("subject", saml.Subject);
        if (saml.Attributes.Count > 0)
        {
            writer.WriteStartObject("attributes");
            foreach (var (attribute, claim) in saml.Attributes)
            {
                writer.WriteString(attribute, claim);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteScopes(Utf8JsonWriter writer, IReadOnlyList<Scope> scopes)
    {
        writer.WriteStartObject("scopes");
        foreach (var scope in scopes)
        {
            writer.WriteStartObject(scope.Name);
            writer.WriteStartArray("statements");
            foreach (var statement in scope.Statements)
            {
                // As written, template variables included: the document is stored as its author wrote it.
                statement.WriteTo(writer);
            }

            writer.WriteEndArray();
            WriteRule(writer, "grantedTo", scope.GrantedTo);
            if (scope.Shared)
            {
                writer.WriteBoolean("shared", true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WritePermissions(Utf8JsonWriter writer, Permissions permissions)
    {
        if (permissions.Decode is null && permissions.Leases is null && permissions.Revoke is null)
        {
            return;
        }

        writer.WriteStartObject("permissions");
        WriteRule(writer, "decode", permissions.Decode);
        WriteRule(writer, "leases", permissions.Leases);
        WriteRule(writer, "revoke", permissions.Revoke);
        writer.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter writer, string name, ClaimRule? rule)
    {
        if (rule is null)
        {
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("claim", rule.Claim);
        WriteStrings(writer, "anyOf", rule.AnyOf);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
