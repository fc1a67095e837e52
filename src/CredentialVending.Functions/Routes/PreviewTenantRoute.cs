using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Tenants;
using CredentialVending.Tenants.Lint;
using CredentialVending.Vending;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// POST /admin/tenants/{tenantId}/preview: what a caller with the given claims would be given (<see cref="TenantPreview"/>).
/// </summary>
public static class PreviewTenantRoute
{
    /// <summary>
    /// In webIdentity mode the caller's own token goes to an unsigned STS call, so whoever holds it can call STS directly,
    /// without this service's session policy, scopes or ledger: only the role itself bounds such a session.
    /// </summary>
    public const string SamlWarning =
        "saml mode: the caller's own SAML response is sent to an unsigned sts:AssumeRoleWithSAML call, so anyone holding it can make that call directly, without this service's session policy, scopes, rate limit or ledger. The role must be safe on its own: check SAML:aud and SAML:sub in its trust policy, scope its permissions to tenant resources, or use assumeRole mode.";

    public const string WebIdentityWarning =
        "webIdentity mode: the caller's own token is sent to an unsigned sts:AssumeRoleWithWebIdentity call, so anyone holding it can make that call directly, without this service's session policy, scopes, rate limit or ledger. The role must be safe on its own: scope its trust policy and permissions by the identity provider's own condition keys (<provider>:aud, <provider>:sub) and tenant resources, or use assumeRole mode.";

    public static Outcome<PreviewRequest> Read(RouteContext context) => PreviewRequest.Read(context);

    public static async Task<RouteResult> HandleAsync(RouteContext context, PreviewRequest request, CancellationToken cancellationToken)
    {
        var preview = await context.Services.Preview.PreviewAsync(context.Path("tenantId"), request.Claims, request.Scopes, request.DurationSeconds, cancellationToken).ConfigureAwait(false);
        return preview.IsRefused ? preview.Refusal! : RouteResult.Json(200, Write(preview.Value.Tenant, preview.Value.Plan));
    }

    private static string Write(TenantDocument tenant, SessionPlan plan)
    {
        // The service sets the tags in assumeRole mode (on AssumeRole) and in brokered mode (in the token it mints).
        var tagged = tenant.Issuance.Mode is IssuanceMode.AssumeRole or IssuanceMode.Brokered;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteNames(json, "scopes", plan.Scopes.Select(s => s.Name));

            // The policy exactly as STS would receive it: its characters are what count against STS's 2,048.
            json.WritePropertyName("sessionPolicy");
            json.WriteRawValue(plan.Session.PolicyJson);
            json.WriteNumber("sessionPolicyLength", plan.Session.PolicyJson.Length);

            // As vend sends them: AssumeRoleWithWebIdentity takes no tags (they come from the token).
            json.WriteStartObject("sessionTags");
            foreach (var (key, value) in tagged ? plan.Session.Tags : [])
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteString("roleArn", tenant.Issuance.RoleArn);
            json.WriteString("mode", IssuanceModes.Name(tenant.Issuance.Mode));
            json.WriteNumber("durationSeconds", plan.DurationSeconds);
            WriteNames(json, "sharedScopes", plan.Scopes.Where(s => s.Shared).Select(s => s.Name));

            // What PUT's lint would now say of the stored document (a stricter lint or a newer IAM action list): the
            // tenant still works, but its next PUT would be refused until these are fixed.
            json.WriteStartArray("warnings");
            foreach (var finding in TenantLint.Check(tenant))
            {
                json.WriteStartObject();
                json.WriteString("path", finding.Path);
                json.WriteString("message", finding.Message);
                json.WriteEndObject();
            }

            if (tenant.Issuance.Mode == IssuanceMode.WebIdentity)
            {
                json.WriteStartObject();
                json.WriteString("path", "issuance.mode");
                json.WriteString("message", tenant.Issuance.Mode == IssuanceMode.Saml ? SamlWarning : WebIdentityWarning);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return HttpAnswer.Utf8(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static void WriteNames(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
