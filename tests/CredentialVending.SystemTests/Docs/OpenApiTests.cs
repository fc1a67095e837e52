using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Clients;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Docs;

/// <summary>
/// docs/openapi.yaml against the template and against the service itself: a valid OpenAPI 3.1 document naming exactly
/// the template's routes, and every answer a run of the routes gets back (successes and refusals, over HTTP through
/// the API Gateway emulator) documented there, body, content type and required headers.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class OpenApiTests(LocalCloud cloud)
{
    private static readonly string Document = Path.Combine(RepositoryPaths.Root, "docs", "openapi.yaml");
    private readonly List<JsonObject> _answers = [];

    [Fact]
    public async Task The_document_is_valid_openapi_and_names_exactly_the_templates_routes()
    {
        var validated = await ClientProcess.RunAsync(await PythonTools.InterpreterAsync(), ["-m", "openapi_spec_validator", Document]);
        Assert.True(validated.ExitCode == 0, validated.ToString());

        var documented = OpenApiDocument.Operations(Document);

        var routes = HttpApiDefinition.Load(RepositoryPaths.Template).Routes.Select(r => r.RouteKey).ToHashSet();
        Assert.Equal(routes.Order(), documented.Order());
    }

    [Fact]
    public async Task Every_answer_of_every_route_is_as_the_document_describes()
    {
        // Onboarding: created, updated, refused, read, listed, previewed.
        var document = Requests.TenantDocument(Requests.NewTenantId("oas"), cloud.Issuer.Issuer);
        var t = document["tenantId"]!.GetValue<string>();
        const string Tenant = "/admin/tenants/{tenantId}";
        await Admin(HttpMethod.Put, $"/admin/tenants/{t}", Tenant, document.ToJsonString());
        document["displayName"] = "Renamed";
        await Admin(HttpMethod.Put, $"/admin/tenants/{t}", Tenant, document.ToJsonString());
        await Admin(HttpMethod.Put, $"/admin/tenants/{t}", Tenant, "{\"tenantId\":\"" + t + "\",\"status\":\"sleepy\"}");
        await Admin(HttpMethod.Put, $"/admin/tenants/{t}", Tenant, "not json");
        await Admin(HttpMethod.Get, $"/admin/tenants/{t}", Tenant);
        await Admin(HttpMethod.Get, "/admin/tenants/no-such-tenant", Tenant);
        await Admin(HttpMethod.Get, "/admin/tenants?limit=1", "/admin/tenants");
        await Admin(HttpMethod.Get, "/admin/tenants?cursor=not-a-cursor", "/admin/tenants");
        await SendAsync(cloud.Api, HttpMethod.Get, "/admin/tenants", "/admin/tenants", null, null); // unsigned: API Gateway's 403
        const string Preview = "/admin/tenants/{tenantId}/preview";
        await Admin(HttpMethod.Post, $"/admin/tenants/{t}/preview", Preview, "{\"claims\":{\"sub\":\"alice\",\"tenant\":\"" + t + "\",\"groups\":[\"editors\"]},\"scopes\":[\"files:write\"]}");
        await Admin(HttpMethod.Post, $"/admin/tenants/{t}/preview", Preview, "{\"claims\":{\"sub\":\"alice\",\"tenant\":\"" + t + "\"},\"scopes\":[\"files:write\"]}");
        await Admin(HttpMethod.Post, "/admin/tenants/no-such-tenant/preview", Preview, "{\"claims\":{\"sub\":\"alice\"}}");

        // Credentials in each format, and refused.
        var admin = new AuthenticationHeaderValue("Bearer", cloud.Token(t, groups: ["admins", "editors"]));
        var user = new AuthenticationHeaderValue("Bearer", cloud.Token(t, "bob"));
        const string Credentials = "/v1/tenants/{tenantId}/credentials";
        var vended = await Caller(HttpMethod.Post, $"/v1/tenants/{t}/credentials", Credentials, admin);
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/credentials?format=credential_process", Credentials, admin, "{\"scopes\":[\"files:read\",\"files:write\"],\"durationSeconds\":1800}");
        await Caller(HttpMethod.Get, $"/v1/tenants/{t}/credentials?format=container", Credentials, user);
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/credentials", Credentials, null);
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/credentials", Credentials, new("Bearer", "not.a.jwt"));
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/credentials", Credentials, user, "{\"scopes\":[\"files:write\"]}");
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/credentials", Credentials, user, "{\"scopes\":[\"no:such\"]}");
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/credentials?format=xml", Credentials, user);
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/credentials", Credentials, user, "[1,2]");
        await Caller(HttpMethod.Post, "/v1/tenants/no-such-tenant/credentials", Credentials, user);
        var limited = await cloud.OnboardAsync(change: d => d["limits"] = new JsonObject { ["requestsPerMinute"] = 1 });
        var limitedUser = new AuthenticationHeaderValue("Bearer", cloud.Token(limited));
        await Caller(HttpMethod.Post, $"/v1/tenants/{limited}/credentials", Credentials, limitedUser);
        await Caller(HttpMethod.Post, $"/v1/tenants/{limited}/credentials", Credentials, limitedUser);

        // The ledger: listed, paged, one lease, found by access key, and refused.
        var lease = vended.GetProperty("leaseId").GetString();
        var accessKey = vended.GetProperty("credentials").GetProperty("accessKeyId").GetString();
        const string Leases = "/v1/tenants/{tenantId}/leases";
        await Caller(HttpMethod.Get, $"/v1/tenants/{t}/leases", Leases, admin);
        await Caller(HttpMethod.Get, $"/v1/tenants/{t}/leases?limit=1&subject=alice", Leases, admin);
        await Caller(HttpMethod.Get, $"/v1/tenants/{t}/leases?limit=0", Leases, admin);
        await Caller(HttpMethod.Get, $"/v1/tenants/{t}/leases", Leases, user);
        const string Lease = "/v1/tenants/{tenantId}/leases/{leaseId}";
        await Caller(HttpMethod.Get, $"/v1/tenants/{t}/leases/{lease}", Lease, admin);
        await Caller(HttpMethod.Get, $"/v1/tenants/{t}/leases/01JDQ3ZV7W5K8Q4T0N9B2XG6AC", Lease, admin);
        await Admin(HttpMethod.Get, $"/admin/leases?accessKeyId={accessKey}", "/admin/leases");
        await Admin(HttpMethod.Get, "/admin/leases?accessKeyId=ASIAQNOSUCHKEY000000", "/admin/leases");
        await Admin(HttpMethod.Get, "/admin/leases", "/admin/leases");

        // Decode: a message about one of the tenant's sessions, a broken one, and a caller without the permission.
        var principal = vended.GetProperty("assumedRoleArn").GetString();
        var encoded = await cloud.Api.GetStringAsync($"/_local/encoded-failure?principalArn={principal}&action=s3:PutObject&resource=arn:aws:s3:::acme-data/{t}/alice/x");
        const string Decode = "/v1/tenants/{tenantId}/decode";
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/decode", Decode, admin, encoded);
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/decode", Decode, admin, "{\"encodedMessage\":\"not-a-message\"}");
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/decode", Decode, user, encoded);

        // Revocation: a lease, a subject, the whole tenant, the list, and refused.
        const string RevokeLease = "/v1/tenants/{tenantId}/leases/{leaseId}/revoke";
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/leases/{lease}/revoke", RevokeLease, admin, "{\"reason\":\"phone reported lost\"}");
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/leases/01JDQ3ZV7W5K8Q4T0N9B2XG6AC/revoke", RevokeLease, admin);
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/leases/{lease}/revoke", RevokeLease, user);
        const string Revocations = "/v1/tenants/{tenantId}/revocations";
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/revocations", Revocations, admin, "{\"subject\":\"bob\"}");
        await Caller(HttpMethod.Post, $"/v1/tenants/{t}/revocations", Revocations, admin, "{\"subject\":7}");
        const string AdminRevocations = "/admin/tenants/{tenantId}/revocations";
        await Admin(HttpMethod.Post, $"/admin/tenants/{t}/revocations", AdminRevocations, "{\"all\":true,\"reason\":\"drill\"}");
        await Admin(HttpMethod.Post, $"/admin/tenants/{t}/revocations", AdminRevocations, "{\"all\":true,\"subject\":\"bob\"}");
        await Admin(HttpMethod.Post, "/admin/tenants/no-such-tenant/revocations", AdminRevocations, "{\"all\":true}");
        await Admin(HttpMethod.Get, $"/admin/tenants/{t}/revocations", AdminRevocations);
        await Caller(HttpMethod.Get, $"/v1/tenants/{t}/leases?revoked=true", Leases, admin);

        // The brokered issuer's public documents, a query ignored.
        await SendAsync(cloud.Api, HttpMethod.Get, "/.well-known/openid-configuration", "/.well-known/openid-configuration", null, null);
        await SendAsync(cloud.Api, HttpMethod.Get, "/.well-known/jwks.json?kid=other", "/.well-known/jwks.json", null, null);

        // The run reached the refusals it means to check, not only successes.
        Assert.Superset(new HashSet<int> { 200, 201, 400, 401, 403, 404, 429 }, _answers.Select(a => a["status"]!.GetValue<int>()).ToHashSet());

        var answers = Path.Combine(Path.GetTempPath(), $"credvend-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(answers, new JsonArray([.. _answers]).ToJsonString());
        try
        {
            var checker = Path.Combine(RepositoryPaths.Root, "tests", "CredentialVending.SystemTests", "Docs", "openapi_check.py");
            var check = await ClientProcess.RunAsync(await PythonTools.InterpreterAsync(), [checker, Document, answers]);
            Assert.True(check.ExitCode == 0, check.ToString());
            Assert.Contains($"{_answers.Count} answers checked", check.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(answers);
        }
    }

    private Task<JsonElement> Admin(HttpMethod method, string path, string route, string? body = null) =>
        SendAsync(cloud.AdminApi, method, path, route, null, body);

    private Task<JsonElement> Caller(HttpMethod method, string path, string route, AuthenticationHeaderValue? bearer, string? body = null) =>
        SendAsync(cloud.Api, method, path, route, bearer, body);

    /// <summary>Sends one request, keeps its answer for the check, and hands back its JSON body.</summary>
    private async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string route, AuthenticationHeaderValue? bearer, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = bearer;
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values);
        }

        _answers.Add(new JsonObject
        {
            ["method"] = method.Method,
            ["route"] = route,
            ["status"] = (int)response.StatusCode,
            ["contentType"] = response.Content.Headers.ContentType?.ToString(),
            ["headers"] = headers,
            ["body"] = text,
        });
        return text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }
}
