using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Local;

/// <summary>The real bootstrap behind the API Gateway emulator, called over HTTP as clients call the deployed API.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class ApiOverHttpTests(LocalCloud cloud)
{
    [Fact]
    public async Task An_iam_signed_put_onboards_a_tenant_and_an_unsigned_one_is_forbidden_by_the_gateway()
    {
        var document = Requests.TenantDocument(Requests.NewTenantId("http"), cloud.Issuer.Issuer);
        var id = document["tenantId"]!.GetValue<string>();

        using var unsigned = await cloud.Api.PutAsync($"/admin/tenants/{id}", Json(document.ToJsonString()));
        using var created = await cloud.AdminApi.PutAsync($"/admin/tenants/{id}", Json(document.ToJsonString()));
        using var read = await cloud.AdminApi.GetAsync($"/admin/tenants/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal("{\"message\":\"Forbidden\"}", await unsigned.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.NotNull(read.Headers.ETag);
        Assert.Equal(id, (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task A_token_from_the_development_issuer_on_the_api_port_buys_credentials_over_http()
    {
        var id = await cloud.OnboardAsync();
        var token = await cloud.Api.GetFromJsonAsync<JsonElement>($"/_local/token?tenant={id}&sub=alice&groups=editors");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/tenants/{id}/credentials?format=credential_process")
        {
            Content = Json("{\"scopes\":[\"files:read\",\"files:write\"]}"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        request.Headers.Add("Origin", "http://localhost:5173");

        using var response = await cloud.Api.SendAsync(request);

        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.True(token.GetProperty("expires_in").GetInt32() > 0);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Version").GetInt32());
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal("http://localhost:5173", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Single(await cloud.LeaseItemsAsync(id));
    }

    [Fact]
    public async Task A_refusal_keeps_its_status_problem_body_and_www_authenticate_over_http()
    {
        var id = await cloud.OnboardAsync();

        using var response = await cloud.Api.PostAsync($"/v1/tenants/{id}/credentials", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        Assert.Equal("invalid_token", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_encoded_failure_helper_answers_a_body_the_decode_route_takes_as_it_is()
    {
        var id = await cloud.OnboardAsync();
        var bearer = new AuthenticationHeaderValue("Bearer", cloud.Token(id, groups: ["admins"]));
        using var vend = new HttpRequestMessage(HttpMethod.Post, $"/v1/tenants/{id}/credentials") { Headers = { Authorization = bearer } };
        using var vended = await cloud.Api.SendAsync(vend);
        var principal = (await vended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assumedRoleArn").GetString();

        using var missing = await cloud.Api.GetAsync("/_local/encoded-failure?action=s3:GetObject");
        var made = await cloud.Api.GetStringAsync($"/_local/encoded-failure?principalArn={principal}&action=s3:PutObject&resource=arn:aws:s3:::acme-data/{id}/alice/x&explicitDeny=true");
        using var decode = new HttpRequestMessage(HttpMethod.Post, $"/v1/tenants/{id}/decode") { Headers = { Authorization = bearer }, Content = Json(made) };
        using var decoded = await cloud.Api.SendAsync(decode);

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, decoded.StatusCode);
        var summary = (await decoded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary");
        Assert.Equal(principal, summary.GetProperty("principalArn").GetString());
        Assert.True(summary.GetProperty("explicitDeny").GetBoolean());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
