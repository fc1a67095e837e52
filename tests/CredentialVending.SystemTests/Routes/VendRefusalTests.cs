using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.Oidc;

namespace CredentialVending.SystemTests.Routes;

/// <summary>Every refusal of docs/api.md for the credentials routes: the documented answer, and nothing issued or written.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class VendRefusalTests(LocalCloud cloud)
{
    private async Task AssertRefusedAsync(string tenant, Support.Answer answer, int status, string code)
    {
        Assert.True(answer.Status == status, $"Expected {status} {code}, got {answer}");
        Assert.Equal(code, answer.Code);
        Assert.Equal("application/problem+json", answer.Header("content-type"));
        Assert.Equal("about:blank", answer.Json.GetProperty("type").GetString());
        Assert.Equal(status, answer.Json.GetProperty("status").GetInt32());
        Assert.Empty(await cloud.LeaseItemsAsync(tenant));
    }

    [Fact]
    public async Task No_authorization_header_is_401_invalid_token_with_www_authenticate()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, null));

        await AssertRefusedAsync(tenant, answer, 401, "invalid_token");
        Assert.Equal("Bearer error=\"invalid_token\"", answer.Header("www-authenticate"));
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer not.a.jwt")]
    public async Task A_malformed_authorization_is_401_invalid_token(string authorization)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, null, authorization: authorization));

        await AssertRefusedAsync(tenant, answer, 401, "invalid_token");
    }

    [Fact]
    public async Task An_expired_token_is_401_invalid_token()
    {
        var tenant = await cloud.OnboardAsync();
        var token = cloud.Issuer.IssueToken(new TokenRequest
        {
            Subject = "alice",
            Claims = new Dictionary<string, object> { ["tenant"] = tenant },
            IssuedAt = DateTimeOffset.UtcNow.AddHours(-2),
            NotBefore = DateTimeOffset.UtcNow.AddHours(-2),
            Lifetime = TimeSpan.FromMinutes(30),
        });

        var answer = await cloud.SendAsync(Requests.Vend(tenant, token));

        await AssertRefusedAsync(tenant, answer, 401, "invalid_token");
    }

    [Fact]
    public async Task Another_tenants_token_is_403_tenant_mismatch()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token("someone-else")));

        await AssertRefusedAsync(tenant, answer, 403, "tenant_mismatch");
    }

    [Fact]
    public async Task A_suspended_tenant_is_403_tenant_suspended()
    {
        var tenant = await cloud.OnboardAsync(change: d => d["status"] = "suspended");

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        await AssertRefusedAsync(tenant, answer, 403, "tenant_suspended");
    }

    [Fact]
    public async Task A_tenant_nobody_onboarded_is_404_tenant_not_found()
    {
        var tenant = Requests.NewTenantId();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        await AssertRefusedAsync(tenant, answer, 404, "tenant_not_found");
    }

    [Fact]
    public async Task An_unknown_scope_is_400_invalid_scope()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant), "{\"scopes\":[\"files:delete\"]}"));

        await AssertRefusedAsync(tenant, answer, 400, "invalid_scope");
    }

    [Fact]
    public async Task No_scopes_asked_and_no_default_scopes_is_400_invalid_scope()
    {
        var tenant = await cloud.OnboardAsync(change: d => d.Remove("defaultScopes"));

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        await AssertRefusedAsync(tenant, answer, 400, "invalid_scope");
    }

    [Fact]
    public async Task A_scope_the_caller_does_not_hold_is_403_scope_not_permitted()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, groups: ["viewers"]), "{\"scopes\":[\"files:write\"]}"));

        await AssertRefusedAsync(tenant, answer, 403, "scope_not_permitted");
    }

    [Theory]
    [InlineData(899)]
    [InlineData(3601)]
    [InlineData(0)]
    [InlineData(-900)]
    public async Task A_duration_outside_900_and_the_tenants_maximum_is_400_invalid_duration(int seconds)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant), $"{{\"durationSeconds\":{seconds}}}"));

        await AssertRefusedAsync(tenant, answer, 400, "invalid_duration");
    }

    [Theory]
    [InlineData("alice/../bob")]
    [InlineData("*")]
    [InlineData("al\"ice")]
    [InlineData("a b")]
    [InlineData("${aws:username}")]
    public async Task A_subject_that_could_widen_the_policy_is_403_unusable_claim(string subject)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, subject)));

        await AssertRefusedAsync(tenant, answer, 403, "unusable_claim");
    }

    [Theory]
    [InlineData("{\"scopes\":\"files:read\"}")]
    [InlineData("{\"durationSeconds\":\"900\"}")]
    [InlineData("{\"durationSeconds\":900.5}")]
    [InlineData("{\"scope\":[\"files:read\"]}")]
    [InlineData("[\"files:read\"]")]
    public async Task A_body_of_the_wrong_shape_is_400_invalid_request(string body)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant), body));

        await AssertRefusedAsync(tenant, answer, 400, "invalid_request");
    }

    [Theory]
    [InlineData("format=yaml")]
    [InlineData("durationSeconds=900&durationSeconds=1200")]
    [InlineData("durationSeconds=soon")]
    [InlineData("color=blue")]
    public async Task A_bad_query_parameter_is_400_invalid_request(string query)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant), query: query, method: "GET"));

        await AssertRefusedAsync(tenant, answer, 400, "invalid_request");
    }

    [Fact]
    public async Task Over_the_tenants_rate_limit_is_429_with_retry_after()
    {
        var tenant = await cloud.OnboardAsync(change: d => d["limits"] = new JsonObject { ["requestsPerMinute"] = 2 });
        var token = cloud.Token(tenant);

        var answers = new List<Support.Answer>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await cloud.SendAsync(Requests.Vend(tenant, token)));
        }

        // A minute boundary may fall between the calls; then the third is allowed and the test proves nothing, so look at all three.
        var limited = answers.Where(a => a.Status == 429).ToArray();
        if (limited.Length == 0)
        {
            answers.Add(await cloud.SendAsync(Requests.Vend(tenant, token)));
            answers.Add(await cloud.SendAsync(Requests.Vend(tenant, token)));
            limited = answers.Where(a => a.Status == 429).ToArray();
        }

        var refusal = Assert.Single(limited.Take(1));
        Assert.Equal("rate_limited", refusal.Code);
        var retryAfter = int.Parse(refusal.Header("retry-after")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(answers.Count(a => a.Status == 200), (await cloud.LeaseItemsAsync(tenant)).Count);
    }
}
