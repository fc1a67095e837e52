using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Saml;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Local;

/// <summary>The local cloud's SAML half as the end-to-end tests find it: the development provider, known to every STS endpoint.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class LocalCloudSamlTests(LocalCloud cloud)
{
    [Fact]
    public async Task Every_sts_endpoint_takes_a_development_response_for_any_tenants_role()
    {
        var tenantId = $"saml-{Guid.NewGuid():N}"[..20];
        var role = cloud.Saml.DefaultRoleFor(tenantId);
        Assert.Equal("arn:aws:iam::123456789012:saml-provider/local-dev", cloud.Saml.ProviderArn);

        foreach (var sts in new[] { cloud.Sts, cloud.StsWest })
        {
            using var client = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(),
                new AmazonSecurityTokenServiceConfig { ServiceURL = sts.Endpoint.ToString(), AuthenticationRegion = sts.Region, MaxErrorRetry = 0 });
            var response = await client.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
            {
                RoleArn = role,
                PrincipalArn = cloud.Saml.ProviderArn,
                SAMLAssertion = cloud.Saml.SignedResponse(new SamlResponseRequest { Subject = "carol", RoleArn = role, Tenant = tenantId }),
            });

            Assert.Equal($"arn:aws:sts::{LocalCloud.AccountId}:assumed-role/tenant-{tenantId}/carol", response.AssumedRoleUser.Arn);
        }
    }
}
