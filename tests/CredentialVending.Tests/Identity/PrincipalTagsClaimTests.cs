using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Identity;

namespace CredentialVending.Tests.Identity;

public sealed class PrincipalTagsClaimTests
{
    [Theory]
    [InlineData("""{}""", null)]
    [InlineData("""{"https://aws.amazon.com/tags":{}}""", null)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"tenant":["acme"]}}}""", null)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"Tenant":["acme"],"team":["a","b"]},"transitive_tag_keys":["team"]}}""", null)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"team":["a"]}}}""", null)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"tenant":["globex"]}}}""", Codes.TenantMismatch)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"TENANT":["globex"]}}}""", Codes.TenantMismatch)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"tEnAnT":["globex"]}}}""", Codes.TenantMismatch)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"tenant":["ACME"]}}}""", Codes.TenantMismatch)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"tenant":["acme","acme"]}}}""", Codes.TenantMismatch)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"tenant":[]}}}""", Codes.TenantMismatch)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"tenant":["acme"],"TENANT":["acme"]}}}""", Codes.InvalidToken)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"tenant":"acme"}}}""", Codes.InvalidToken)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"tenant":[null]}}}""", Codes.InvalidToken)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":{"team":[{"x":1}]}}}""", Codes.InvalidToken)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":"tenant=acme"}}""", Codes.InvalidToken)]
    [InlineData("""{"https://aws.amazon.com/tags":{"principal_tags":null}}""", Codes.InvalidToken)]
    [InlineData("""{"https://aws.amazon.com/tags":{"transitive_tag_keys":[1]}}""", Codes.InvalidToken)]
    [InlineData("""{"https://aws.amazon.com/tags":["tenant","acme"]}""", Codes.InvalidToken)]
    [InlineData("""{"https://aws.amazon.com/tags":"{\"principal_tags\":{\"tenant\":[\"acme\"]}}"}""", Codes.InvalidToken)]
    public void The_tags_claim_may_tag_the_session_only_for_its_own_tenant(string claims, string? code)
    {
        using var document = JsonDocument.Parse(claims);

        var refusal = PrincipalTagsClaim.Check(ClaimSet.FromJsonObject(document.RootElement), "acme");

        Assert.Equal(code, refusal?.Code);
    }
}
