using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CredentialVending.Local.Hosting;

/// <summary>A lease the run command takes at start, so the decode example has a session of the tenant to name.</summary>
public sealed record DemoLease(string LeaseId, string AssumedRoleArn, string Subject);

/// <summary>
/// The demo tenant the run command onboards through the admin route, as onboarding automation would: it trusts the
/// development issuer, reads the tenant from the <c>tenant</c> claim, and lets the <c>groups</c> claim decide:
/// <c>admins</c> hold <c>decode</c>, <c>leases</c> and <c>revoke</c>, <c>editors</c> may ask for <c>files:write</c>.
/// </summary>
public static class DemoTenant
{
    public const string TenantId = "demo";
    public const string RoleArn = "arn:aws:iam::123456789012:role/demo-tenant";
    public const string Subject = "alice";

    public static JsonObject Document(string issuer) => new()
    {
        ["tenantId"] = TenantId,
        ["displayName"] = "Demo tenant (local run)",
        ["status"] = "active",
        ["identity"] = new JsonObject
        {
            ["issuer"] = issuer,
            ["audiences"] = new JsonArray("credvend-local"),
            ["subjectClaim"] = "sub",
            ["tenantClaim"] = "tenant",
        },
        ["issuance"] = new JsonObject { ["mode"] = "assumeRole", ["roleArn"] = RoleArn, ["externalId"] = "demo-local" },
        ["scopes"] = new JsonObject
        {
            ["files:read"] = Scope("s3:GetObject", grantedTo: null),
            ["files:write"] = Scope("s3:PutObject", grantedTo: "editors"),
        },
        ["defaultScopes"] = new JsonArray("files:read"),
        ["sessionTags"] = new JsonObject { ["tenant"] = "{{tenant}}", ["subject"] = "{{subject}}" },
        ["permissions"] = new JsonObject { ["decode"] = Groups("admins"), ["leases"] = Groups("admins"), ["revoke"] = Groups("admins") },
    };

    /// <summary>GET first and PUT only when missing, so a kept tenant keeps its version; answers what happened.</summary>
    /// <remarks>The issuer is the API's URL, so a run on another port moves the kept tenant's issuer to it, with If-Match.</remarks>
    public static Task<string> EnsureAsync(HttpClient admin, string issuer, CancellationToken cancellationToken) =>
        EnsureAsync(admin, Document(issuer), cancellationToken);

    /// <summary>As <see cref="EnsureAsync(HttpClient, string, CancellationToken)"/>, for any demo tenant's document.</summary>
    public static async Task<string> EnsureAsync(HttpClient admin, JsonObject document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(document);
        var issuer = document["identity"]!["issuer"]!.GetValue<string>();
        var path = $"admin/tenants/{document["tenantId"]!.GetValue<string>()}";
        using var read = await admin.GetAsync(path, cancellationToken).ConfigureAwait(false);
        var body = await read.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (read.StatusCode == HttpStatusCode.NotFound)
        {
            var created = await PutAsync(admin, path, document, null, cancellationToken).ConfigureAwait(false);
            return $"created (version {created["version"]})";
        }

        if (read.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /{path} answered {(int)read.StatusCode}: {body}");
        }

        var kept = JsonNode.Parse(body)!.AsObject();
        if (kept["identity"]?["issuer"]?.GetValue<string>() == issuer)
        {
            return $"kept (version {kept["version"]})";
        }

        kept["identity"]!["issuer"] = issuer;
        var moved = await PutAsync(admin, path, kept, read.Headers.ETag, cancellationToken).ConfigureAwait(false);
        return $"kept, its issuer moved to {issuer} (version {moved["version"]})";
    }

    /// <summary>Takes one lease for <see cref="Subject"/> through the API, as an app would: a token, then credentials.</summary>
    public static async Task<DemoLease> VendAsync(HttpClient api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var token = JsonNode.Parse(await api.GetStringAsync($"_local/token?tenant={TenantId}&sub={Subject}", cancellationToken).ConfigureAwait(false))!["access_token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/tenants/{TenantId}/credentials");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The demo tenant's first credentials were refused: {(int)response.StatusCode} {body}");
        }

        var lease = JsonNode.Parse(body)!;
        return new DemoLease(lease["leaseId"]!.GetValue<string>(), lease["assumedRoleArn"]!.GetValue<string>(), Subject);
    }

    private static async Task<JsonObject> PutAsync(HttpClient admin, string path, JsonObject document, EntityTagHeaderValue? ifMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        using var response = await admin.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT /{path} answered {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)!.AsObject();
    }

    private static JsonObject Scope(string action, string? grantedTo)
    {
        var scope = new JsonObject
        {
            ["statements"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray(action),
                ["Resource"] = new JsonArray("arn:aws:s3:::demo-data/{{tenant}}/{{subject}}/*"),
            }),
        };
        if (grantedTo is not null)
        {
            scope["grantedTo"] = Groups(grantedTo);
        }

        return scope;
    }

    private static JsonObject Groups(string group) => new() { ["claim"] = "groups", ["anyOf"] = new JsonArray(group) };
}
