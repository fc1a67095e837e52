using Amazon.Runtime;
using CredentialVending.Revocation;
using CredentialVending.Revocation.Iam;

namespace CredentialVending.SystemTests.Iam;

/// <summary>
/// What the revocation's IAM client must see from any IAM: moto's server and the local cloud's emulator each run these
/// same assertions, so the Query protocol is held to two implementations written by others and by us.
/// </summary>
public abstract class IamClientContract
{
    protected const string PolicyName = "credential-vending-revocations";

    // Characters a URL encoding or an XML answer could garble: plus, percent, ampersand, angle brackets, space, é.
    protected const string Document =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"*:01JDQ3ZV7W5K8Q4T0N9B2XG6AC"},"StringEquals":{"aws:PrincipalTag/subject":"a+b %26 <c> d&e é"}}}]}""";

    internal static readonly BasicAWSCredentials Key = new("AKIAIAMCLIENTTEST001", "iamClientTestSecretAccessKey000000000000");

    /// <summary>The IAM under test's endpoint.</summary>
    protected abstract Uri Endpoint { get; }

    /// <summary>Makes a role in the IAM under test and answers its name.</summary>
    protected abstract Task<string> CreateRoleAsync();

    protected IamQueryClient Client(AWSCredentials? credentials = null) =>
        new(new HttpClient(), credentials ?? Key, new IamClientOptions { Endpoint = Endpoint, BackoffBase = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);

    [Fact]
    public async Task A_policy_put_is_read_back_exactly_as_written()
    {
        var role = await CreateRoleAsync();
        var client = Client();

        await client.PutAsync(role, PolicyName, Document, CancellationToken.None);

        Assert.Equal(Document, await client.GetAsync(role, PolicyName, CancellationToken.None));
    }

    [Fact]
    public async Task A_second_put_replaces_the_policy()
    {
        var role = await CreateRoleAsync();
        var client = Client();
        var replacement = Document.Replace("01JDQ3ZV7W5K8Q4T0N9B2XG6AC", "01JDQ40000000000000000000Z", StringComparison.Ordinal);

        await client.PutAsync(role, PolicyName, Document, CancellationToken.None);
        await client.PutAsync(role, PolicyName, replacement, CancellationToken.None);

        Assert.Equal(replacement, await client.GetAsync(role, PolicyName, CancellationToken.None));
    }

    [Fact]
    public async Task A_policy_that_was_never_put_reads_as_null()
    {
        var role = await CreateRoleAsync();

        Assert.Null(await Client().GetAsync(role, PolicyName, CancellationToken.None));
    }

    [Fact]
    public async Task A_deleted_policy_reads_as_null_and_deleting_it_again_is_no_error()
    {
        var role = await CreateRoleAsync();
        var client = Client();
        await client.PutAsync(role, PolicyName, Document, CancellationToken.None);

        await client.DeleteAsync(role, PolicyName, CancellationToken.None);
        await client.DeleteAsync(role, PolicyName, CancellationToken.None);

        Assert.Null(await client.GetAsync(role, PolicyName, CancellationToken.None));
    }

    [Fact]
    public async Task Putting_a_policy_on_a_role_that_does_not_exist_is_refused_with_no_such_entity()
    {
        var refused = await Assert.ThrowsAsync<IamRefusedException>(() =>
            Client().PutAsync("no-such-role-" + Guid.NewGuid().ToString("N")[..8], PolicyName, Document, CancellationToken.None));

        Assert.Equal("NoSuchEntity", refused.ErrorCode);
        Assert.Equal(404, refused.StatusCode);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"Version":"2012-10-17"}""")]
    [InlineData("[]")]
    public async Task A_document_that_is_no_policy_is_refused_as_malformed_without_being_repeated(string document)
    {
        var role = await CreateRoleAsync();

        var refused = await Assert.ThrowsAsync<IamRefusedException>(() => Client().PutAsync(role, PolicyName, document, CancellationToken.None));

        Assert.Equal("MalformedPolicyDocument", refused.ErrorCode);
        Assert.Equal(400, refused.StatusCode);
        Assert.DoesNotContain(document, refused.Message, StringComparison.Ordinal);
    }
}
