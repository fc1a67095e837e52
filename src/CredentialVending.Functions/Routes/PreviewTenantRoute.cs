using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Identity;
using CredentialVending.Lambda.Events;
using CredentialVending.Tenants;
using CredentialVending.Tenants.Lint;
using CredentialVending.Vending;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// POST /admin/tenants/{tenantId}/preview: what a caller with the given claims would be given, computed by the same
/// <see cref="SessionPlanner"/> as a real request and refused the same way, without calling STS.
/// </summary>
public static class PreviewTenantRoute
{
    /// <summary>
    /// In webIdentity mode the caller's own token goes to an unsigned STS call, so whoever holds it can call STS directly,
    /// without this service's session policy, scopes or ledger: only the role itself bounds such a session.
    /// </summary>
    public const string WebIdentityWarning =
        "webIdentity mode: the caller's own token is sent to an unsigned sts:AssumeRoleWithWebIdentity call, so anyone holding it can make that call directly, without this service's session policy, scopes, rate limit or ledger. The role must be safe on its own: scope its trust policy and permissions by the identity provider's own condition keys (<provider>:aud, <provider>:sub) and tenant resources, or use assumeRole mode.";

    public static async Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        if (AdminAuthorization.Check(context) is { } denied)
        {
            return HttpAnswer.Problem(denied, context.RequestId);
        }

        var request = PreviewRequest.Read(context);
        if (request.IsRefused)
        {
            return HttpAnswer.Problem(request.Refusal!, context.RequestId);
        }

        var tenant = await context.Services.Tenants.LoadAsync(context.Path("tenantId"), cancellationToken).ConfigureAwait(false);
        if (tenant.IsRefused)
        {
            return HttpAnswer.Problem(tenant.Refusal!, context.RequestId);
        }

        var plan = Plan(tenant.Value!, request.Value!);
        return plan.IsRefused
            ? HttpAnswer.Problem(plan.Refusal!, context.RequestId)
            : new APIGatewayHttpApiV2ProxyResponse
            {
                StatusCode = 200,
                Headers = new Dictionary<string, string> { ["content-type"] = HttpAnswer.JsonType, ["cache-control"] = "no-store" },
                Body = Write(tenant.Value!, plan.Value!),
            };
    }

    /// <summary>The checks of a real request after its token's signature, in the same order: tenant claim, status, then the plan.</summary>
    private static Outcome<SessionPlan> Plan(TenantDocument tenant, PreviewRequest request)
    {
        var identity = tenant.Identity;
        var subject = request.Claims.GetString(identity.SubjectClaim);
        if (string.IsNullOrEmpty(subject))
        {
            // A real request would be 401 invalid_token; a preview has no token, so the operator's input is what is wrong.
            return Refusal.InvalidRequest($"claims must carry the tenant's subject claim '{identity.SubjectClaim}' as a string.");
        }

        if (identity.TenantClaim is { } tenantClaim && request.Claims.GetString(tenantClaim) != tenant.TenantId)
        {
            return new Refusal(Codes.TenantMismatch, $"The claims' {tenantClaim} claim does not name tenant {tenant.TenantId}.");
        }

        // As vend does before STS: a tags claim that would re-tenant a webIdentity session is refused.
        if (tenant.Issuance.Mode == IssuanceMode.WebIdentity && PrincipalTagsClaim.Check(request.Claims, tenant.TenantId) is { } retenanted)
        {
            return retenanted;
        }

        if (tenant.Status == TenantStatus.Suspended)
        {
            return new Refusal(Codes.TenantSuspended, $"Tenant '{tenant.TenantId}' is suspended; no credentials are issued for it.");
        }

        return SessionPlanner.Plan(tenant, subject, request.Claims, request.Scopes, request.DurationSeconds);
    }

    private static string Write(TenantDocument tenant, SessionPlan plan)
    {
        var assumeRole = tenant.Issuance.Mode == IssuanceMode.AssumeRole;
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
            foreach (var (key, value) in assumeRole ? plan.Session.Tags : [])
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteString("roleArn", tenant.Issuance.RoleArn);
            json.WriteString("mode", assumeRole ? "assumeRole" : "webIdentity");
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

            if (!assumeRole)
            {
                json.WriteStartObject();
                json.WriteString("path", "issuance.mode");
                json.WriteString("message", WebIdentityWarning);
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
