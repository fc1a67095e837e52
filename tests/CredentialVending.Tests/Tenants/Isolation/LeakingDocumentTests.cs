using CredentialVending.Tenants;

namespace CredentialVending.Tests.Tenants.Isolation;

/// <summary>
/// The property has teeth: documents that do leak, read without the lint (as a stored document is) and rendered by the
/// real renderer, are found leaking by the same probes and the same evaluator; a document that does not leak is not.
/// </summary>
public sealed class LeakingDocumentTests : IDisposable
{
    private readonly IamEvaluator _evaluator = IamEvaluator.Start();

    public static TheoryData<string, string, string, string, string, string> Leaking => new()
    {
        // what leaks, the statement, the two tenants, the subject of the second tenant's callers, the wildcard filler
        { "a wildcard before the tenant", """{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data/*/{{tenant}}/*" }""", "ab", "cd", "bob", "T/x" },
        { "a tenant unfenced before a wildcard", """{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data/{{tenant}}*" }""", "ab-orders", "ab", "bob", "T" },
        { "a tenant fenced by a character tenant ids hold", """{ "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": ["arn:aws:dynamodb:us-east-1:123456789012:table/{{tenant}}-orders", "arn:aws:dynamodb:us-east-1:123456789012:table/{{tenant}}"] }""", "ab", "ab-orders", "bob", "x" },
        { "a tie by a key the caller sets", """{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data/*", "Condition": { "StringEquals": { "aws:UserAgent": "{{tenant}}" } } }""", "ab", "cd", "bob", "x" },
        { "a tie by a request tag", """{ "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Condition": { "StringEquals": { "aws:RequestTag/tenant": "{{tenant}}" } } }""", "ab", "cd", "bob", "x" },
        { "a tag tie with IfExists", """{ "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Condition": { "StringEqualsIfExists": { "aws:ResourceTag/tenant": "{{tenant}}" } } }""", "ab", "cd", "bob", "x" },
        { "leading keys with ForAnyValue", """{ "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/orders", "Condition": { "ForAnyValue:StringEquals": { "dynamodb:LeadingKeys": ["{{tenant}}"] } } }""", "ab", "cd", "bob", "x" },
        { "leading keys with ForAllValues and no Null", """{ "Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/orders", "Condition": { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["{{tenant}}"] } } }""", "ab", "cd", "bob", "x" },
        { "a tie by the subject's source identity", """{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data/*", "Condition": { "StringEquals": { "aws:SourceIdentity": "{{tenant}}" } } }""", "ab", "cd", "cd", "x" },
        { "a subject in place of the tenant", """{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data/{{subject}}/*" }""", "ab", "cd", "alice", "x" },
    };

    [Theory]
    [MemberData(nameof(Leaking))]
    public void A_document_that_leaks_is_found_leaking(string leak, string statement, string tenant, string other, string otherSubject, string filler)
    {
        var failures = Check(new IsolationDocument(IssuanceMode.AssumeRole, [new("tenant", "{{tenant}}")], [[statement]]), tenant, other, otherSubject, filler);

        Assert.True(failures.Any(f => f.Attempt.Expect == false && f.Decision.Allowed), $"{leak}: no leak found; {string.Join("\n", failures)}");
    }

    [Fact]
    public void A_tag_that_the_subject_sets_leaks_through_the_principal_tag()
    {
        var document = new IsolationDocument(IssuanceMode.AssumeRole, [new("tenant", "{{subject}}")], [["""{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data/${aws:PrincipalTag/tenant}/*" }"""]]);

        var failures = Check(document, "ab", "cd", otherSubject: "alice", "x");

        Assert.Contains(failures, f => f.Attempt.Expect == false && f.Decision.Allowed);
    }

    [Fact]
    public void Subjects_fenced_after_the_tenant_reach_neither_another_tenant_nor_another_subject()
    {
        var document = new IsolationDocument(IssuanceMode.AssumeRole, [new("tenant", "{{tenant}}")], [
            ["""{ "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::acme-data/{{tenant}}/{{subject}}/*" }"""],
            ["""{ "Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/orders", "Condition": { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["{{tenant}}"] }, "Null": { "dynamodb:LeadingKeys": "false" } } }"""],
            ["""{ "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Condition": { "StringEquals": { "aws:ResourceTag/tenant": "${aws:PrincipalTag/tenant}" } } }"""]]);

        var c = Case(document, "ab", "ab-orders", "ab", "T/S/x");
        var attempts = IsolationCheck.Attempts(c, Stored(c));

        Assert.Empty(IsolationCheck.Run(_evaluator, c, Stored(c)));
        Assert.Contains(attempts, a => a.Kind == "another subject");
        Assert.Contains(attempts, a => a.Expect == true);
    }

    private IReadOnlyList<IsolationCheck.Failure> Check(IsolationDocument document, string tenant, string other, string otherSubject, string filler)
    {
        var c = Case(document, tenant, other, otherSubject, filler);
        return IsolationCheck.Run(_evaluator, c, Stored(c));
    }

    private static IsolationCase Case(IsolationDocument document, string tenant, string other, string otherSubject, string filler) => new(
        document,
        [new(tenant, "alice", "org1", "r1", "a1"), new(tenant, "alice-2", "org1", "r1", "a1"), new(other, otherSubject, "org2", "r2", "a2"), new(other, otherSubject + "-2", "org2", "r2", "a2")],
        filler);

    private static Dictionary<string, CredentialVending.Tenants.TenantDocument> Stored(IsolationCase c) =>
        c.Callers.Select(x => x.TenantId).Distinct().ToDictionary(t => t, c.Document.Stored);

    public void Dispose() => _evaluator.Dispose();
}
