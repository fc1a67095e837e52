using System.Text;

namespace CredentialVending.Local.Hosting;

/// <summary>What the run command prints once the local cloud is up: where each part is, then commands ready to paste.</summary>
public static class ReadyScreen
{
    public const string ReadyPrefix = "Ready: ";
    public const string AwsProfile = "credvend-demo";

    /// <summary>
    /// The AWS CLI config with a profile whose credentials come from the local API through the credential_process helper
    /// (not curl: a token on a command line shows in <c>ps</c>). An hour, because the CLI refreshes credentials that
    /// expire within 15 minutes: with 900 s leases it would take a new lease at nearly every call.
    /// </summary>
    public static string AwsConfig(Uri api, string region) => $"""
        # Written by the credential vending run command, for development: the demo tenant's credentials through
        # credential_process. The token comes from CREDVEND_TOKEN (see the run command's screen).
        [profile {AwsProfile}]
        region = {region}
        credential_process = {Path.Combine(RepositoryPaths.Root, "examples", "credential-process")} --url {Base(api)} --tenant {DemoTenant.TenantId} --duration 3600

        """;

    public static string Text(LocalCloudHost host, string bootstrap, string dataPath, string tenantStatus, DemoLease? lease, string? awsConfigPath, string? samlTenantStatus = null, string? brokeredStatus = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var api = Base(host.ApiUrl);
        var t = DemoTenant.TenantId;
        var auth = "-H \"Authorization: Bearer $TOKEN\"";
        var s = new StringBuilder().AppendLine();
        Part(s, "API Gateway emulator", api, $"template.yaml's routes, up to {host.Options.MaxConcurrency} processes per function, CORS for {string.Join(", ", host.Options.AllowedOrigins)}");
        Part(s, "development issuer", host.Issuer.Issuer, $"discovery, JWKS, and tokens for any local caller ({api}/_local/token): development only");
        Part(s, "development SAML IdP", api + Saml.DevelopmentSamlProvider.MetadataPath, $"metadata; signed responses at {Saml.DevelopmentSamlProvider.ResponsePath}, STS knows it as {host.Saml.ProviderArn}");
        Part(s, "dashboard", api + Dashboard.DashboardRoutes.Path, "this run's metrics as they come, from the functions' EMF records");
        foreach (var sts in host.Sts)
        {
            Part(s, "STS emulator", Base(sts.Endpoint), sts.Region);
        }

        if (host.Iam is { } iam)
        {
            Part(s, "IAM emulator", Base(iam.Endpoint), "every role of the local account and its inline policies: the functions' AWS_ENDPOINT_URL_IAM");
        }

        if (host.DynamoEndpoint is { } dynamo)
        {
            Part(s, "dynalite", Base(dynamo), $"tables {host.TenantsTable}, {host.LeasesTable}");
        }
        else
        {
            Part(s, "AWS", host.Region, $"DynamoDB tables {host.TenantsTable}, {host.LeasesTable}, with your profile's credentials");
            Part(s, "STS", host.StsEndpoints, "the functions' STS_ENDPOINTS");
        }

        Part(s, "bootstrap", bootstrap, string.Empty);
        Part(s, "demo tenant", t, tenantStatus + (lease is null ? string.Empty : $"; a first lease {lease.LeaseId} for {lease.Subject}"));
        if (samlTenantStatus is not null)
        {
            Part(s, "demo SAML tenant", DemoSamlTenant.TenantId, samlTenantStatus);
        }

        if (host.Kms is { } kms && brokeredStatus is not null)
        {
            Part(s, "KMS emulator", Base(kms.Endpoint), $"the brokered mode's signing key {LocalCloudHost.BrokerKeyAlias}: the functions' AWS_ENDPOINT_URL_KMS");
            Part(s, "brokered demo tenant", DemoBrokeredTenant.TenantId, $"{brokeredStatus}; the API's root is its issuer");
        }

        s.AppendLine().AppendLine("Try it (bash):").AppendLine();
        Step(s, "A token for alice of the demo tenant, in the groups admins and editors (development issuer)",
            $"TOKEN=$(curl -s '{api}/_local/token?tenant={t}&sub=alice&groups=admins,editors' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')");
        if (lease is not null)
        {
            Step(s, "Credentials: as JSON; for credential_process, with files:write too (alice is an editor); for the container provider",
                $"curl -s -X POST {api}/v1/tenants/{t}/credentials {auth}",
                $"curl -s -X POST '{api}/v1/tenants/{t}/credentials?format=credential_process' {auth} -H 'Content-Type: application/json' -d '{{\"scopes\":[\"files:read\",\"files:write\"]}}'",
                $"curl -s '{api}/v1/tenants/{t}/credentials?format=container' {auth}");
            Step(s, $"Decode an access denied message for lease {lease.LeaseId} (made by the development-only /_local/encoded-failure)",
                $"curl -s '{EncodedFailureUrl(host.ApiUrl, lease)}' \\",
                $"  | curl -s -X POST {api}/v1/tenants/{t}/decode {auth} -H 'Content-Type: application/json' --data-binary @-");
            Step(s, "The demo tenant's leases, newest first (alice is an admin)",
                $"curl -s '{api}/v1/tenants/{t}/leases?limit=5' {auth}");
            Step(s, $"Revoke lease {lease.LeaseId}: its session is denied on the role (IAM applies it within a few minutes), and the lease shows revokedAt",
                $"curl -s -X POST {api}/v1/tenants/{t}/leases/{lease.LeaseId}/revoke {auth} -H 'Content-Type: application/json' -d '{{\"reason\":\"demo\"}}'");
            Step(s, $"The AWS CLI on vended credentials, through credential_process (the profile is in {awsConfigPath})",
                $"CREDVEND_TOKEN=$TOKEN AWS_CONFIG_FILE={awsConfigPath} aws sts get-caller-identity --profile {AwsProfile} --endpoint-url {Base(host.Sts[0].Endpoint)}");
        }

        if (samlTenantStatus is not null)
        {
            SamlSteps(s, api);
        }

        if (brokeredStatus is not null)
        {
            var b = DemoBrokeredTenant.TenantId;
            Step(s, $"A brokered lease of 2 hours for alice of {b}: the service mints the token STS sees, signed by the KMS key and checked against this API's JWKS",
                $"TOKEN_B=$(curl -s '{api}/_local/token?tenant={b}&sub=alice&groups=admins' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
                $"curl -s -X POST {api}/v1/tenants/{b}/credentials -H \"Authorization: Bearer $TOKEN_B\" -H 'Content-Type: application/json' -d '{{\"durationSeconds\":7200}}'",
                $"curl -s {api}/.well-known/openid-configuration; curl -s {api}/.well-known/jwks.json");
        }

        Step(s, "The admin routes take IAM-signed requests (SigV4, service execute-api): this run's local admin key",
            $"curl -s --aws-sigv4 'aws:amz:{host.Region}:execute-api' --user '{host.Admin.AccessKeyId}:{host.Admin.SecretAccessKey}' {api}/admin/tenants");

        // Last, so that whoever waits for this line has the whole screen.
        s.Append($"{ReadyPrefix}{api}   (Ctrl-C stops it{(host.Sts.Count > 0 ? $"; the data stays in {dataPath}" : string.Empty)})");
        return s.ToString();
    }

    /// <summary>The helper URL that encodes an implicit deny of s3:PutObject for a lease's session (its scope was files:read).</summary>
    public static string EncodedFailureUrl(Uri api, DemoLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return $"{Base(api)}/_local/encoded-failure?principalArn={lease.AssumedRoleArn}&action=s3:PutObject"
            + $"&resource=arn:aws:s3:::demo-data/{DemoTenant.TenantId}/{lease.Subject}/report.csv";
    }

    private static void SamlSteps(StringBuilder s, string api)
    {
        var t = DemoSamlTenant.TenantId;
        var saml = $"{api}{Saml.DevelopmentSamlProvider.ResponsePath}?tenant={t}&sub=carol&groups=admins,editors";
        Step(s, $"SAML: a signed response for carol of {t} (development SAML IdP) is the credentials route's JSON body as it comes",
            $"curl -s '{saml}' | curl -s -X POST {api}/v1/tenants/{t}/credentials -H 'Content-Type: application/json' --data-binary @-");
        Step(s, "SAML: the browser POST binding (form-encoded SAMLResponse), and credential_process reading the response from stdin",
            $"SAML=$(curl -s '{saml}' | sed -E 's/.*\"samlResponse\":\"([^\"]+)\".*/\\1/')",
            $"curl -s -X POST {api}/v1/tenants/{t}/credentials --data-urlencode \"SAMLResponse=$SAML\"",
            $"echo \"$SAML\" | {Path.Combine(RepositoryPaths.Root, "examples", "credential-process")} --url {api} --tenant {t} --saml-response -");
        Step(s, "SAML in a browser: the identity provider's page that posts the response to the credentials route, as a sign-in does",
            $"{saml}&format=form");
    }

    private static string Base(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    private static void Part(StringBuilder s, string name, string where, string what) =>
        s.AppendLine($"  {name,-22}{where,-24}{what}".TrimEnd());

    private static void Step(StringBuilder s, string comment, params string[] lines)
    {
        s.AppendLine($"  # {comment}");
        foreach (var line in lines)
        {
            s.AppendLine("  " + line);
        }

        s.AppendLine();
    }
}
