using System.Text.Json.Nodes;
using CredentialVending.Tenants;
using FsCheck;
using FsCheck.Fluent;

namespace CredentialVending.Tests.Tenants.Isolation;

/// <summary>
/// Tenant documents built from the statement shapes tenants write (S3 objects and listings, DynamoDB tables and leading
/// keys, SQS, SNS and Lambda ARNs, tag conditions), with the variables and wildcards placed anywhere and fenced by every
/// kind of character; tenant ids that are prefixes of each other; subjects and claims from the whole substitution set.
/// </summary>
internal static class IsolationGenerators
{
    private const string Tenant = "{{tenant}}";
    private const string Subject = "{{subject}}";
    private const string PrincipalTag = "${aws:PrincipalTag/tenant}";
    private const string SafeCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+=,-";

    private static readonly Gen<string> Fence = Gen.Elements("/", "/", "/", ":", "_", ".", "-", "#", string.Empty);

    private static readonly Gen<string> Token = Gen.Frequency(
        (6, Gen.Constant(Tenant)), (3, Gen.Constant(Subject)), (1, Gen.Constant("{{claim:org}}")), (3, Gen.Constant("*")),
        (1, Gen.Constant("?")), (3, Gen.Elements("data", "orders", "shared", "x")), (2, Gen.Constant(PrincipalTag)));

    /// <summary>A name: tokens joined by fences, most starting with the tenant, some ending in a wildcard.</summary>
    private static Gen<string> Name(Gen<string> fence) => Name(fence, Gen.Elements(string.Empty, string.Empty, "/*", "*", "-orders", "_orders"));

    private static Gen<string> Name(Gen<string> fence, Gen<string> tails) =>
        from first in Gen.Frequency((5, Gen.Elements(Tenant, PrincipalTag)), (2, Token))
        from count in Gen.Choose(0, 3)
        from fences in fence.ArrayOf(count)
        from tokens in Token.ArrayOf(count)
        from tail in tails
        select first + string.Concat(fences.Zip(tokens, (f, t) => f + t)) + tail;

    private static readonly Gen<string> Region = Gen.Frequency((6, Gen.Constant("us-east-1")), (2, Gen.Constant("*")), (1, Gen.Constant("{{claim:region}}")));
    private static readonly Gen<string> Account = Gen.Frequency((6, Gen.Constant("123456789012")), (2, Gen.Constant("*")), (1, Gen.Constant("{{claim:acct}}")));
    private static readonly Gen<string> Bucket = Gen.Elements("acme-data", "acme-data", "{{tenant}}-data", "{{tenant}}", "data.{{tenant}}", "{{claim:org}}-data");

    // Who sets each kind of key: the resource (tags, the listing's prefix, the partition keys), the caller's own request, the session.
    private static readonly Gen<string> TagValue = Gen.Frequency(
        (5, Gen.Constant(Tenant)), (3, Gen.Constant(PrincipalTag)), (1, Gen.Constant(Tenant + "*")), (1, Gen.Constant(Subject)), (1, Gen.Constant(Tenant + "-" + Subject)));

    private static readonly Gen<string> EqualsOperator = Gen.Frequency(
        (6, Gen.Constant("StringEquals")), (2, Gen.Constant("StringLike")), (1, Gen.Constant("StringEqualsIfExists")),
        (1, Gen.Constant("StringEqualsIgnoreCase")), (1, Gen.Constant("ForAnyValue:StringEquals")));

    private static readonly Gen<string> CallerKey = Gen.Elements("aws:UserAgent", "aws:Referer", "aws:RequestTag/tenant", "aws:CalledViaFirst", "acme:tenant");

    private static readonly Gen<JsonObject?> TagCondition =
        from op in EqualsOperator
        from key in Gen.Frequency((6, Gen.Constant("aws:ResourceTag/tenant")), (2, CallerKey), (1, Gen.Elements("aws:PrincipalTag/tenant", "aws:SourceIdentity")))
        from value in TagValue
        select (JsonObject?)new JsonObject { [op] = new JsonObject { [key] = value } };

    private static Gen<JsonObject?> Maybe(Gen<JsonObject?> condition, int none) => Gen.Frequency((none, Gen.Constant<JsonObject?>(null)), (3, condition));

    private static readonly Gen<JsonObject> S3Objects =
        from actions in Gen.Elements<string[]>(["s3:GetObject"], ["s3:PutObject"], ["s3:GetObject", "s3:PutObject"], ["s3:Get*"])
        from bucket in Bucket
        from names in Gen.Choose(1, 2).SelectMany(n => Name(Fence).ArrayOf(n))
        from condition in Maybe(
            from op in EqualsOperator from key in Gen.Elements("s3:ExistingObjectTag/tenant", "s3:x-amz-acl") from value in TagValue
            select (JsonObject?)new JsonObject { [op] = new JsonObject { [key] = value } }, 6)
        select Statement(actions, names.Select(n => $"arn:aws:s3:::{bucket}/{n}").ToArray(), condition);

    private static readonly Gen<JsonObject> S3Listing =
        from bucket in Bucket
        from op in Gen.Frequency((5, Gen.Constant("StringLike")), (2, Gen.Constant("StringEquals")), (1, Gen.Constant("StringLikeIfExists")), (1, Gen.Constant("ForAnyValue:StringLike")))
        from prefix in Name(Fence)
        from listed in Gen.Elements(true, true, false)
        select Statement(["s3:ListBucket"], [$"arn:aws:s3:::{bucket}"], listed ? new JsonObject { [op] = new JsonObject { ["s3:prefix"] = prefix } } : null);

    // A second name that extends the first: "{{tenant}}" beside "{{tenant}}-orders" is tenant "a-orders"'s beside tenant "a"'s.
    private static readonly Gen<string> Neighbour = Gen.Frequency((2, Gen.Constant(string.Empty)), (1, Gen.Elements("-orders", "-orders", "_orders", "-x")));

    private static readonly Gen<JsonObject> DynamoTables =
        from actions in Gen.Elements<string[]>(["dynamodb:GetItem"], ["dynamodb:GetItem", "dynamodb:Query"], ["dynamodb:PutItem"], ["dynamodb:*"])
        from region in Region
        from account in Account
        from table in Gen.Frequency((3, Name(Gen.Elements("_", ".", "-", string.Empty), Gen.Elements(string.Empty, "*", "-orders", "_orders", "/index/*"))), (2, Gen.Elements("orders", "*", Tenant)))
        from neighbour in Neighbour
        from op in Gen.Elements("ForAllValues:StringEquals", "ForAllValues:StringEquals", "ForAllValues:StringLike", "ForAnyValue:StringEquals", "StringEquals")
        from key in Gen.Elements(Tenant, Tenant + "#" + Subject, Tenant + "#*", Tenant + "*", Subject, PrincipalTag)
        from nullCheck in Gen.Elements(true, true, false)
        from keyed in Gen.Elements(true, false)
        let condition = keyed ? LeadingKeys(op, key, nullCheck) : null
        select Statement(actions, [.. new[] { table, table + neighbour }.Distinct().Select(t => $"arn:aws:dynamodb:{region}:{account}:table/{t}")], condition);

    private static readonly Gen<JsonObject> Messaging =
        from kind in Gen.Elements(("sqs:SendMessage", "sqs", string.Empty), ("sns:Publish", "sns", string.Empty), ("lambda:InvokeFunction", "lambda", "function:"))
        from region in Region
        from account in Account
        from name in Gen.Frequency((4, Name(Gen.Elements("_", ".", "-", "-", string.Empty), Gen.Elements(string.Empty, string.Empty, "*", "-orders", "_orders"))), (2, Gen.Constant("*")))
        from bare in Gen.Elements(false, false, false, true)
        from condition in Maybe(TagCondition, 3)
        // iam-simulate 0.1.173 splits an SQS or SNS name at the / inside ${aws:PrincipalTag/tenant} and matches nothing, so
        // those names use {{tenant}} (docs/gotchas.md).
        let named = kind.Item2 is "sqs" or "sns" ? name.Replace(PrincipalTag, Tenant, StringComparison.Ordinal) : name
        select Statement([kind.Item1], [bare ? "*" : $"arn:aws:{kind.Item2}:{region}:{account}:{kind.Item3}{named}"], condition);

    private static readonly Gen<string> Statements = Gen.Frequency((4, S3Objects), (2, S3Listing), (3, DynamoTables), (3, Messaging)).Select(s => s.ToJsonString());

    private static readonly Gen<IReadOnlyList<KeyValuePair<string, string>>> Tags = Gen.Frequency(
        (6, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([new("tenant", Tenant)])),
        (3, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([new("tenant", Tenant), new("subject", Subject)])),
        (1, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([new("tenant", Subject)])),
        (1, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([new("tenant", Tenant + "-{{claim:org}}")])),
        (1, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([])));

    public static readonly Gen<IsolationDocument> Documents =
        from mode in Gen.Frequency((3, Gen.Constant(IssuanceMode.AssumeRole)), (1, Gen.Constant(IssuanceMode.WebIdentity)), (1, Gen.Constant(IssuanceMode.Saml)), (2, Gen.Constant(IssuanceMode.Brokered)))
        from tags in Tags
        from scopeCount in Gen.Choose(1, 3)
        from scopes in Gen.Choose(1, 2).SelectMany(n => Statements.ArrayOf(n)).ArrayOf(scopeCount)
        select new IsolationDocument(mode, mode is IssuanceMode.WebIdentity or IssuanceMode.Saml ? [] : tags, [.. scopes.Select(s => (IReadOnlyList<string>)s)]);

    // docs/api.md's tenant id pattern, short, so prefixes of one another come up often.
    private static readonly Gen<string> TenantId =
        from first in Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray())
        from rest in Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()).ArrayOf().Where(r => r.Length is >= 1 and <= 8)
        select first + new string(rest);

    private static readonly Gen<(string A, string B)> TenantPair = Gen.Frequency(
        (3, from a in TenantId from suffix in Gen.Elements("orders", "orders", "2", "x", "-b") select (a, a + "-" + suffix.TrimStart('-'))),
        (2, from a in TenantId from b in TenantId where a != b select (a, b)),
        (1, Gen.Elements(("ab", "ab-orders"), ("acme", "acme-corp"), ("a1", "a1-a1"))));

    private static Gen<string> Value(string ownTenant, string otherTenant) => Gen.Frequency(
        (4, Gen.Elements(SafeCharacters.ToCharArray()).ArrayOf().Where(c => c.Length is >= 1 and <= 12).Select(c => new string(c))),
        (3, Gen.Elements("alice", "bob", "..", ".", "a,b", "x=y", "@", "-", "_", "+", "*", new string('z', 64))),
        (2, Gen.Elements(ownTenant, otherTenant, otherTenant + "-x", ownTenant + "_" + otherTenant)));

    private static Gen<Caller> CallerOf(string tenant, string other) =>
        from subject in Value(tenant, other)
        from org in Value(tenant, other)
        from region in Value(tenant, other)
        from account in Value(tenant, other)
        select new Caller(tenant, subject, org, region, account);

    public static readonly Gen<IsolationCase> Cases =
        from document in Documents
        from pair in TenantPair
        from a1 in CallerOf(pair.A, pair.B)
        from a2 in Gen.OneOf(CallerOf(pair.A, pair.B), Gen.Elements(a1.Subject + "-2", a1.Subject + "2", a1.Subject + "_x").Select(s => a1 with { Subject = s }))
        from b1 in CallerOf(pair.B, pair.A)
        from b2 in Gen.OneOf(CallerOf(pair.B, pair.A), Gen.Constant(b1 with { Subject = a1.Subject }))
        where a1.Subject != a2.Subject && b1.Subject != b2.Subject
        from filler in Gen.Elements("x", "T", "T/x", "x/T/x", "x/T", "T/S/x", "x_T", "T#S")
        select new IsolationCase(document, [a1, a2, b1, b2], filler);

    /// <summary>Smaller cases first: fewer scopes and statements, no conditions, plainer callers.</summary>
    public static IEnumerable<IsolationCase> Shrink(IsolationCase c)
    {
        var scopes = c.Document.Scopes;
        for (var i = 0; i < scopes.Count; i++)
        {
            if (scopes.Count > 1)
            {
                yield return c with { Document = c.Document with { Scopes = [.. scopes.Where((_, j) => j != i)] } };
            }

            for (var k = 0; k < scopes[i].Count && scopes[i].Count > 1; k++)
            {
                yield return WithScope(c, i, [.. scopes[i].Where((_, j) => j != k)]);
            }
        }

        if (c.Filler != "x")
        {
            yield return c with { Filler = "x" };
        }
    }

    private static IsolationCase WithScope(IsolationCase c, int index, IReadOnlyList<string> statements) =>
        c with { Document = c.Document with { Scopes = [.. c.Document.Scopes.Select((s, j) => j == index ? statements : s)] } };

    private static JsonObject LeadingKeys(string op, string key, bool nullCheck)
    {
        var condition = new JsonObject { [op] = new JsonObject { ["dynamodb:LeadingKeys"] = new JsonArray(key) } };
        if (nullCheck)
        {
            condition["Null"] = new JsonObject { ["dynamodb:LeadingKeys"] = "false" };
        }

        return condition;
    }

    private static JsonObject Statement(string[] actions, string[] resources, JsonObject? condition)
    {
        var statement = new JsonObject
        {
            ["Effect"] = "Allow",
            ["Action"] = new JsonArray([.. actions.Select(a => (JsonNode?)a)]),
            ["Resource"] = new JsonArray([.. resources.Select(r => (JsonNode?)r)]),
        };
        if (condition is not null)
        {
            statement["Condition"] = condition;
        }

        return statement;
    }
}
