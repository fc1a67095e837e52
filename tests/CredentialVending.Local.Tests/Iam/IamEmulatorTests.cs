using System.Net;
using System.Xml.Linq;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Iam;

namespace CredentialVending.Local.Tests.Iam;

/// <summary>The IAM emulator's Query protocol as a raw client sees it: status, XML namespace, error codes.</summary>
public sealed class IamEmulatorTests : IAsyncLifetime
{
    private const string Key = "AKIAIAMEMULATORTEST1";
    private const string Secret = "iamEmulatorTestSecretAccessKey0000000000";
    private static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private IamEmulator _iam = null!;

    public async Task InitializeAsync() => _iam = await IamEmulator.StartAsync(new IamEmulatorOptions
    {
        CallerCredentials = new Dictionary<string, string> { [Key] = Secret },
    });

    public async Task DisposeAsync() => await _iam.DisposeAsync();

    [Fact]
    public async Task A_created_role_is_found_with_its_arn_and_a_second_create_of_any_case_conflicts()
    {
        var created = await CallAsync(new() { ["Action"] = "CreateRole", ["RoleName"] = "tenant-acme", ["Path"] = "/tenants/", ["AssumeRolePolicyDocument"] = "{}" });
        var again = await CallAsync(new() { ["Action"] = "CreateRole", ["RoleName"] = "TENANT-ACME", ["AssumeRolePolicyDocument"] = "{}" });
        var found = await CallAsync(new() { ["Action"] = "GetRole", ["RoleName"] = "tenant-acme" });

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal((HttpStatusCode.Conflict, "EntityAlreadyExists"), (again.Status, Code(again.Xml)));
        Assert.Equal("arn:aws:iam::123456789012:role/tenants/tenant-acme", found.Xml.Descendants(Ns + "Arn").Single().Value);
        Assert.StartsWith("AROA", found.Xml.Descendants(Ns + "RoleId").Single().Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inline_policies_are_listed_by_name_and_answered_url_encoded()
    {
        _iam.CreateRole("tenant-list");
        foreach (var name in new[] { "b-policy", "a-policy" })
        {
            var put = await CallAsync(new() { ["Action"] = "PutRolePolicy", ["RoleName"] = "tenant-list", ["PolicyName"] = name, ["PolicyDocument"] = """{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}""" });
            Assert.Equal(HttpStatusCode.OK, put.Status);
            Assert.Equal("PutRolePolicyResponse", put.Xml.Name.LocalName);
        }

        var listed = await CallAsync(new() { ["Action"] = "ListRolePolicies", ["RoleName"] = "tenant-list" });
        var got = await CallAsync(new() { ["Action"] = "GetRolePolicy", ["RoleName"] = "tenant-list", ["PolicyName"] = "a-policy" });

        Assert.Equal(["a-policy", "b-policy"], listed.Xml.Descendants(Ns + "member").Select(m => m.Value));
        Assert.StartsWith("%7B%22Statement%22%3A", got.Xml.Descendants(Ns + "PolicyDocument").Single().Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GetRole", "no-such-role", null, HttpStatusCode.NotFound, "NoSuchEntity")]
    [InlineData("GetRolePolicy", "tenant-errors", "absent", HttpStatusCode.NotFound, "NoSuchEntity")]
    [InlineData("DeleteRolePolicy", "tenant-errors", "absent", HttpStatusCode.NotFound, "NoSuchEntity")]
    [InlineData("GetRole", "bad/name", null, HttpStatusCode.BadRequest, "ValidationError")]
    [InlineData("GetRolePolicy", "tenant-errors", "bad*name", HttpStatusCode.BadRequest, "ValidationError")]
    [InlineData("PutRolePolicy", "tenant-errors", "p", HttpStatusCode.BadRequest, "ValidationError")]
    [InlineData("AttachRolePolicy", "tenant-errors", "p", HttpStatusCode.BadRequest, "InvalidAction")]
    public async Task Each_refusal_is_iam_s_status_and_code(string action, string role, string? policy, HttpStatusCode status, string code)
    {
        _iam.CreateRole("tenant-errors");
        var parameters = new Dictionary<string, string> { ["Action"] = action, ["RoleName"] = role };
        if (policy is not null)
        {
            parameters["PolicyName"] = policy;
        }

        var answer = await CallAsync(parameters);

        Assert.Equal((status, code), (answer.Status, Code(answer.Xml)));
        Assert.Equal("ErrorResponse", answer.Xml.Name.LocalName);
        Assert.Equal(Ns, answer.Xml.Name.Namespace);
    }

    [Fact]
    public async Task A_policy_with_a_character_beyond_latin_1_is_a_validation_error()
    {
        _iam.CreateRole("tenant-chars");

        var answer = await CallAsync(new() { ["Action"] = "PutRolePolicy", ["RoleName"] = "tenant-chars", ["PolicyName"] = "p", ["PolicyDocument"] = """{"Statement":{"Sid":"☃"}}""" });

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError"), (answer.Status, Code(answer.Xml)));
    }

    [Fact]
    public async Task An_unsigned_call_is_refused_as_iam_refuses_it()
    {
        using var http = new HttpClient();
        using var answer = await http.PostAsync(_iam.Endpoint, Form(new() { ["Action"] = "GetRole", ["RoleName"] = "tenant-acme" }));

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal("MissingAuthenticationToken", Code(XElement.Parse(await answer.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task With_every_role_existing_any_role_of_the_account_takes_a_policy()
    {
        await using var open = await IamEmulator.StartAsync(new IamEmulatorOptions { CallerCredentials = new Dictionary<string, string> { [Key] = Secret }, EveryRoleExists = true });

        var put = await CallAsync(new() { ["Action"] = "PutRolePolicy", ["RoleName"] = "never-created", ["PolicyName"] = "p", ["PolicyDocument"] = """{"Statement":[{"Effect":"Deny"}]}""" }, open);

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("""{"Statement":[{"Effect":"Deny"}]}""", open.RolePolicy("never-created", "p"));
    }

    private async Task<(HttpStatusCode Status, XElement Xml)> CallAsync(Dictionary<string, string> parameters, IamEmulator? iam = null)
    {
        using var http = new HttpClient(new SigV4SigningHandler(new IamCredential(Key, Secret, "arn:aws:iam::123456789012:user/test"), "us-east-1", service: "iam"));
        using var answer = await http.PostAsync((iam ?? _iam).Endpoint, Form(parameters));
        return (answer.StatusCode, XElement.Parse(await answer.Content.ReadAsStringAsync()));
    }

    private static FormUrlEncodedContent Form(Dictionary<string, string> parameters) =>
        new(parameters.Append(new("Version", "2010-05-08")));

    private static string? Code(XElement answer) => answer.Descendants(Ns + "Code").SingleOrDefault()?.Value;
}
