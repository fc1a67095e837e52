using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.Common;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Lambda;
using CredentialVending.Local.Sts;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Template;

/// <summary>
/// template.yaml's DynamoDB statements against the calls each function really sends: every route of every function runs
/// through the real bootstrap with a recorder in front of dynalite, one a function (by _HANDLER). Each recorded call
/// must be allowed by its function's statements (conditions included), and each statement must be used by some call,
/// so a new call without a template change fails here, and so does a grant nothing uses.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class DynamoCallLogTests(LocalCloud cloud)
{
    [Fact]
    public async Task Each_function_is_granted_exactly_the_dynamodb_calls_it_sends()
    {
        var calls = await RecordEveryRouteAsync();
        var grants = Grants();

        foreach (var (handler, granted) in grants)
        {
            var sent = calls.Where(c => c.Handler == handler).ToArray();
            Assert.NotEmpty(sent);
            foreach (var call in sent)
            {
                Assert.True(granted.Any(g => g.Allows(call, Resource(call))), $"{handler} sends {call.Operation} on {Resource(call)} (partition {call.PartitionKey}), which template.yaml does not grant it.");
            }

            foreach (var grant in granted)
            {
                Assert.True(sent.Any(c => grant.Allows(c, Resource(c))), $"template.yaml grants {handler} {grant}, which it never sends.");
            }
        }

        Assert.Equal(RouteTable.Functions.Order(StringComparer.Ordinal), grants.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>Every route once, the way a user drives it, each function with its own recorder.</summary>
    private async Task<IReadOnlyList<DynamoCall>> RecordEveryRouteAsync()
    {
        var calls = new ConcurrentQueue<DynamoCall>();
        var recorders = new Dictionary<string, DynamoRecorder>(StringComparer.Ordinal);
        var functions = new Dictionary<string, FunctionInstance>(StringComparer.Ordinal);
        try
        {
            foreach (var handler in RouteTable.Functions)
            {
                recorders[handler] = DynamoRecorder.Start(handler, cloud.Host.DynamoEndpoint!, calls);
                var environment = cloud.FunctionEnvironment();
                environment["AWS_ENDPOINT_URL_DYNAMODB"] = recorders[handler].Url.ToString();
                functions[handler] = await cloud.StartAsync(handler, environment);
            }

            async Task<Answer> Send(HttpApiRequest request, int status)
            {
                var handler = RouteTable.All.First(r => r.Method == request.Method && CredentialVending.Functions.Http.RouteMatcher.TryMatch(r.Path, request.Path, out _)).Function;
                var answer = await LocalCloud.SendAsync(functions[handler], request);
                Assert.True(answer.Status == status, $"{request.Method} {request.Path}: {answer}");
                return answer;
            }

            var document = Requests.TenantDocument(Requests.NewTenantId("calls"), cloud.Issuer.Issuer);
            document["limits"] = new JsonObject { ["requestsPerMinute"] = 100 };
            var tenant = document["tenantId"]!.GetValue<string>();
            var ops = cloud.Token(tenant, "ops", ["admins"]);
            await Send(Requests.Admin("PUT", $"/admin/tenants/{tenant}", document.ToJsonString()), 201);
            await Send(Requests.Admin("GET", $"/admin/tenants/{tenant}"), 200);
            await Send(Requests.Admin("GET", "/admin/tenants"), 200);
            await Send(Requests.Admin("POST", $"/admin/tenants/{tenant}/preview", $$"""{"claims":{"sub":"alice","tenant":"{{tenant}}"},"scopes":["files:read"]}"""), 200);

            var vend = (await Send(Requests.Vend(tenant, cloud.Token(tenant, "bob")), 200)).Json;
            var leaseId = vend.GetProperty("leaseId").GetString()!;
            var accessKeyId = vend.GetProperty("credentials").GetProperty("accessKeyId").GetString()!;
            await Send(Operator("GET", $"/v1/tenants/{tenant}/leases", ops), 200);
            await Send(Operator("GET", $"/v1/tenants/{tenant}/leases", ops, "subject=bob"), 200);
            await Send(Operator("GET", $"/v1/tenants/{tenant}/leases", ops, "accessKeyId=" + accessKeyId), 200);
            await Send(Operator("GET", $"/v1/tenants/{tenant}/leases/{leaseId}", ops), 200);
            await Send(Requests.Admin("GET", "/admin/leases", query: "accessKeyId=" + accessKeyId), 200);

            var message = cloud.Sts.EncodeAuthorizationFailure(new AuthorizationFailure
            {
                PrincipalArn = vend.GetProperty("assumedRoleArn").GetString()!, Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data/x",
            });
            var decode = Operator("POST", $"/v1/tenants/{tenant}/decode", ops) with
            {
                Body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["encodedMessage"] = message }),
            };
            await Send(decode, 200);

            // Revocations: a lease and a subject by an operator, the whole tenant and the list by incident response.
            await Send(Operator("POST", $"/v1/tenants/{tenant}/leases/{leaseId}/revoke", ops), 202);
            await Send(Operator("POST", $"/v1/tenants/{tenant}/revocations", ops) with { Body = """{"subject":"bob"}"""u8.ToArray() }, 202);
            await Send(Requests.Admin("POST", $"/admin/tenants/{tenant}/revocations", """{"all":true,"reason":"drill"}"""), 202);
            await Send(Requests.Admin("GET", $"/admin/tenants/{tenant}/revocations"), 200);
            await Send(Operator("GET", $"/v1/tenants/{tenant}/leases", ops, "revoked=true"), 200);

            // A tenant that moves to another role frees the old one.
            document["issuance"]!["roleArn"] = $"arn:aws:iam::{LocalCloud.AccountId}:role/tenant-{tenant}-moved";
            await Send(Requests.Admin("PUT", $"/admin/tenants/{tenant}", document.ToJsonString()), 200);
        }
        finally
        {
            foreach (var function in functions.Values)
            {
                await function.DisposeAsync();
            }

            foreach (var recorder in recorders.Values)
            {
                await recorder.DisposeAsync();
            }
        }

        return [.. calls];
    }

    private static HttpApiRequest Operator(string method, string path, string token, string query = "") => new()
    {
        Method = method,
        Path = path,
        RawQueryString = query,
        Headers = [new("Authorization", "Bearer " + token), new("Content-Type", "application/json")],
    };

    /// <summary>The resource a call reaches, in the template's terms: <c>LeasesTable</c>, <c>LeasesTable/index/bySubject</c>.</summary>
    private string Resource(DynamoCall call)
    {
        var table = call.Table == cloud.TenantsTable ? "TenantsTable" : call.Table == cloud.LeasesTable ? "LeasesTable" : "unknown table " + call.Table;
        return call.Index is null ? table : $"{table}/index/{call.Index}";
    }

    /// <summary>Each function's DynamoDB statements, by its Handler.</summary>
    private static Dictionary<string, List<Grant>> Grants()
    {
        var grants = new Dictionary<string, List<Grant>>(StringComparer.Ordinal);
        foreach (var (_, resource) in RepositoryFiles.LoadTemplate().Map("Resources").Entries().Where(e => e.Value.Text("Type") == "AWS::Serverless::Function"))
        {
            var properties = resource.Map("Properties");
            var granted = grants[properties.Text("Handler")!] = [];
            foreach (var statement in properties.Seq("Policies").Children.SelectMany(p => p.Seq("Statement").Children))
            {
                granted.AddRange(
                    from action in statement.Get("Action").Strings()
                    where action.StartsWith("dynamodb:", StringComparison.Ordinal)
                    from target in statement.Get("Resource").Strings()
                    select new Grant(action["dynamodb:".Length..], TemplateResource(target), statement.Get("Condition") as YamlMappingNode));
            }
        }

        return grants;
    }

    private static string TemplateResource(string rendered) => rendered switch
    {
        _ when rendered.StartsWith("!GetAtt ", StringComparison.Ordinal) && rendered.EndsWith(".Arn", StringComparison.Ordinal) => rendered["!GetAtt ".Length..^".Arn".Length],
        _ when rendered.StartsWith("!Sub ${", StringComparison.Ordinal) && rendered.Contains(".Arn}", StringComparison.Ordinal) =>
            rendered["!Sub ${".Length..].Replace(".Arn}", string.Empty, StringComparison.Ordinal),
        _ => throw new Xunit.Sdk.XunitException($"A DynamoDB statement on {rendered}: name a table of the template (!GetAtt T.Arn, !Sub ${{T.Arn}}/index/I)."),
    };

    /// <summary>One action on one resource, under its statement's condition, evaluated as IAM would for the call.</summary>
    private sealed record Grant(string Operation, string Resource, YamlMappingNode? Condition)
    {
        public bool Allows(DynamoCall call, string resource) =>
            call.Operation == Operation && ArnPatterns.Matches(Resource, resource) && ConditionHolds(call);

        public override string ToString() => $"dynamodb:{Operation} on {Resource}" + (Condition is null ? string.Empty : " if " + Yaml.Render(Condition));

        private bool ConditionHolds(DynamoCall call)
        {
            foreach (var (op, keys) in Condition?.Entries() ?? [])
            {
                foreach (var (key, values) in keys.Entries())
                {
                    var holds = (op, key) switch
                    {
                        // ForAllValues over no key at all is true in IAM: that is what the Null check beside it is for.
                        ("ForAllValues:StringLike", "dynamodb:LeadingKeys") => call.PartitionKey is null || values.Strings().Any(p => ArnPatterns.Matches(p, call.PartitionKey)),
                        ("Null", "dynamodb:LeadingKeys") => (call.PartitionKey is null) == (values.Strings().Single() == "true"),
                        _ => throw new Xunit.Sdk.XunitException($"The test cannot evaluate the condition {op} {key}: teach it before granting on it."),
                    };
                    if (!holds)
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }
}
