using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CredentialVending.Tenants;
using CredentialVending.Vending;

namespace CredentialVending.Tests.Tenants.Isolation;

/// <summary>
/// A session as STS would hold it for one caller: the session policy the service rendered (with the real
/// <see cref="SessionPlanner"/>), and the request context IAM sees for every call the session makes.
/// </summary>
internal sealed partial record IsolationSession(Caller Caller, JsonNode Policy, string Principal, IReadOnlyDictionary<string, IReadOnlyList<string>> Context)
{
    private const string AccountId = "123456789012";

    /// <summary>The tenant role's own policy: everything, so the session policy alone decides.</summary>
    public static readonly JsonNode AllowEverything = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")!;

    public IReadOnlyList<JsonObject> Statements => [.. Policy["Statement"]!.AsArray().Select(s => s!.AsObject())];

    /// <summary>What <c>${aws:PrincipalTag/tenant}</c> is in this session, or null when the session has no such tag.</summary>
    public string? TenantTag => Context.TryGetValue("aws:PrincipalTag/tenant", out var tag) ? tag[0] : null;

    /// <summary>The session <paramref name="caller"/> gets for <paramref name="scopes"/>, or null when the service refuses to render one.</summary>
    public static IsolationSession? Of(TenantDocument tenant, Caller caller, IReadOnlyList<string> scopes, int index)
    {
        var plan = SessionPlanner.Plan(tenant, caller.Subject, caller.Claims, scopes, durationSeconds: null);
        if (plan.IsRefused)
        {
            return null;
        }

        // The lease id is the session name (docs/api.md "Credentials" step 6), so it is in the ARN and in aws:userid.
        var leaseId = "01JDQ3ZV7W5K8Q4T0N9B2XG6A" + "CDEF"[index % 4];
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["aws:userid"] = [$"AROAEXAMPLETENANTROLE:{leaseId}"],
            ["aws:PrincipalArn"] = [tenant.Issuance.RoleArn],
            ["aws:PrincipalAccount"] = [AccountId],
        };
        if (tenant.Issuance.Mode is IssuanceMode.AssumeRole or IssuanceMode.Brokered)
        {
            // assumeRole: the service sets the tags it rendered, and SourceIdentity when the subject fits STS's pattern;
            // brokered: the token the service mints carries the same tags and source identity.
            foreach (var (key, value) in plan.Value!.Session.Tags)
            {
                context[$"aws:PrincipalTag/{key}"] = [value];
            }

            if (SourceIdentity().IsMatch(caller.Subject))
            {
                context["aws:SourceIdentity"] = [caller.Subject];
            }
        }
        else if (tenant.Issuance.Mode == IssuanceMode.WebIdentity)
        {
            // webIdentity: the token's tags, which the vend function holds to principal_tags.tenant = [tenantId] (docs/api.md).
            context["aws:PrincipalTag/tenant"] = [tenant.TenantId];
        }

        // saml: the identity provider's assertion sets the tags and nothing checks them, so the session holds none the
        // service vouches for (the lint refuses statements tied by them). The session name is the assertion's too: the
        // model keeps the lease-like name, as the property judges policies, not names.

        var principal = $"arn:aws:sts::{AccountId}:assumed-role/tenant-{tenant.TenantId}/{leaseId}";
        return new IsolationSession(caller, JsonNode.Parse(plan.Value!.Session.PolicyJson)!, principal, context);
    }

    /// <summary>Whether a condition key is a fact of the session (which only STS sets), rather than of the resource or the request.</summary>
    public static bool IsSessionKey(string key) =>
        key.StartsWith("aws:Principal", StringComparison.OrdinalIgnoreCase)
        || key.Equals("aws:SourceIdentity", StringComparison.OrdinalIgnoreCase)
        || key.Equals("aws:userid", StringComparison.OrdinalIgnoreCase)
        || key.Equals("aws:TokenIssueTime", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a condition key describes what is touched (its tags, the listed prefix, the partition keys): the owner's.</summary>
    public static bool IsResourceKey(string key) =>
        key.StartsWith("aws:ResourceTag/", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("s3:ExistingObjectTag/", StringComparison.OrdinalIgnoreCase)
        || key.Equals("s3:prefix", StringComparison.OrdinalIgnoreCase)
        || key.Equals("dynamodb:LeadingKeys", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SourceIdentity();
}
