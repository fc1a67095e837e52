using System.Text;
using System.Text.Json.Nodes;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.SystemTests.Support;

/// <summary>Requests as clients send them, before API Gateway turns them into events.</summary>
public static class Requests
{
    public static HttpApiRequest Vend(string tenantId, string? token, string? body = null, string query = "", string method = "POST", string? authorization = null)
    {
        var headers = new List<KeyValuePair<string, string>> { new("User-Agent", "credvend-tests/1.0") };
        if (authorization is not null || token is not null)
        {
            headers.Add(new("Authorization", authorization ?? $"Bearer {token}"));
        }

        if (body is not null)
        {
            headers.Add(new("Content-Type", "application/json"));
        }

        return new HttpApiRequest
        {
            Method = method,
            Path = $"/v1/tenants/{tenantId}/credentials",
            RawQueryString = query,
            Headers = headers,
            Body = body is null ? [] : Encoding.UTF8.GetBytes(body),
            SourceIp = "198.51.100.7",
        };
    }

    public static HttpApiRequest Admin(string method, string path, string? body = null, string? iamArn = LocalCloud.AdminArn, string query = "", IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var all = new List<KeyValuePair<string, string>> { new("Content-Type", "application/json") };
        all.AddRange(headers ?? []);
        return new HttpApiRequest
        {
            Method = method,
            Path = path,
            RawQueryString = query,
            Headers = all,
            Body = body is null ? [] : Encoding.UTF8.GetBytes(body),
            IamUserArn = iamArn,
            IamAccessKey = iamArn is null ? null : "AKIAONBOARDING000000",
        };
    }

    /// <summary>A valid tenant document of the kind docs/api.md shows, trusting the development issuer.</summary>
    /// <summary>An operator route's request (leases, decode, revoke) with the operator's bearer token.</summary>
    public static HttpApiRequest Operator(string method, string path, string token, string? body = null, string query = "") => new()
    {
        Method = method,
        Path = path,
        RawQueryString = query,
        Headers = [new("Authorization", "Bearer " + token), new("Content-Type", "application/json")],
        Body = body is null ? [] : Encoding.UTF8.GetBytes(body),
    };

    public static JsonObject TenantDocument(string tenantId, string issuer, string mode = "assumeRole")
    {
        var document = new JsonObject
        {
        ["tenantId"] = tenantId,
        ["displayName"] = $"Tenant {tenantId}",
        ["status"] = "active",
        ["identity"] = new JsonObject
        {
            ["issuer"] = issuer,
            ["audiences"] = new JsonArray("credvend-local"),
            ["subjectClaim"] = "sub",
            ["tenantClaim"] = "tenant",
        },
        ["issuance"] = mode == "assumeRole"
            ? new JsonObject
            {
                ["mode"] = "assumeRole",
                ["roleArn"] = $"arn:aws:iam::123456789012:role/tenant-{tenantId}",
                ["externalId"] = $"{tenantId}-7f3c",
                ["defaultDurationSeconds"] = 900,
                ["maxDurationSeconds"] = 3600,
            }
            : new JsonObject
            {
                ["mode"] = "webIdentity",
                ["roleArn"] = $"arn:aws:iam::123456789012:role/tenant-{tenantId}",
            },
        ["scopes"] = new JsonObject
        {
            ["files:read"] = new JsonObject
            {
                ["statements"] = new JsonArray(new JsonObject
                {
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("s3:GetObject"),
                    ["Resource"] = new JsonArray("arn:aws:s3:::acme-data/{{tenant}}/{{subject}}/*"),
                }),
            },
            ["files:write"] = new JsonObject
            {
                ["statements"] = new JsonArray(new JsonObject
                {
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("s3:PutObject"),
                    ["Resource"] = new JsonArray("arn:aws:s3:::acme-data/{{tenant}}/{{subject}}/*"),
                }),
                ["grantedTo"] = new JsonObject { ["claim"] = "groups", ["anyOf"] = new JsonArray("editors") },
            },
        },
        ["defaultScopes"] = new JsonArray("files:read"),
        ["sessionTags"] = new JsonObject { ["tenant"] = "{{tenant}}", ["subject"] = "{{subject}}" },
        ["permissions"] = new JsonObject
        {
            ["decode"] = new JsonObject { ["claim"] = "groups", ["anyOf"] = new JsonArray("admins") },
            ["leases"] = new JsonObject { ["claim"] = "groups", ["anyOf"] = new JsonArray("admins") },
            ["revoke"] = new JsonObject { ["claim"] = "groups", ["anyOf"] = new JsonArray("admins") },
        },
        };
        if (mode != "assumeRole")
        {
            // STS takes no session tags with a web identity: they come from the token.
            document.Remove("sessionTags");
        }

        return document;
    }

    public static string NewTenantId(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..20];
}
