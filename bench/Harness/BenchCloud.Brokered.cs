using System.Text;
using System.Text.Json.Nodes;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Kms;
using CredentialVending.Local.Lambda;
using CredentialVending.Local.Sts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CredentialVending.Bench.Harness;

/// <summary>
/// The brokered contender's parts of the bench cloud (docs/api.md, "Brokered tenants"): a KMS emulator with the signing
/// key behind its own timing proxy, a second tenant of mode <c>brokered</c>, and the service's issuer, which the bench
/// serves from a loopback server that invokes a warm vend function for <c>/.well-known/*</c>, as API Gateway would route
/// them: STS then reads the very discovery document and JWKS the product serves, not a copy built here.
/// </summary>
public sealed partial class BenchCloud
{
    /// <summary>The brokered contender's key (see <see cref="Builds"/>).</summary>
    public const string Brokered = "brokered";

    private KmsEmulator _kms = null!;
    private string _brokerKeyArn = string.Empty;
    private WebApplication? _wellKnown;
    private FunctionInstance? _wellKnownFunction;

    public TimingProxy KmsProxy { get; private set; } = null!;
    public string BrokeredTenantId { get; } = "bench-brokered-" + Guid.NewGuid().ToString("N")[..8];
    private string BrokeredRoleArn => $"arn:aws:iam::123456789012:role/tenant-{BrokeredTenantId}";

    /// <summary>Known before anything listens: the minted tokens' <c>iss</c> goes into every function's environment.</summary>
    public string BrokerIssuer { get; } = $"http://127.0.0.1:{LoopbackWebApp.FreePort()}";

    /// <summary>The tenant a contender vends for.</summary>
    public string TenantFor(Contender contender) => contender.Key == Brokered ? BrokeredTenantId : TenantId;

    private async Task StartKmsAsync()
    {
        _kms = await KmsEmulator.StartAsync(new KmsEmulatorOptions
        {
            Region = "us-east-1",
            CallerCredentials = new Dictionary<string, string> { [AccessKey] = Secret },
        });
        _brokerKeyArn = _kms.CreateSigningKey(LocalCloudHost.BrokerKeyAlias);
        KmsProxy = TimingProxy.Start(_kms.Endpoint);
    }

    private void AddBrokerEnvironment(Dictionary<string, string> environment)
    {
        environment["AWS_ENDPOINT_URL_KMS"] = KmsProxy.Endpoint.ToString();
        environment["BROKER_KMS_KEY_ID"] = _brokerKeyArn;
        environment["BROKER_ISSUER"] = BrokerIssuer;
        environment["BROKER_AUDIENCE"] = LocalCloudHost.BrokerAudience;
    }

    /// <summary>
    /// Onboards the brokered tenant through <paramref name="brokered"/>'s admin function, serves the issuer's well-known
    /// routes, makes STS trust the issuer for the tenant's role (<c>sub</c> like <c>{tenantId}:*</c>, as
    /// examples/onboarding/brokered-tenant-role.yaml does) and has STS read the keys now, so that no run times the fetch.
    /// </summary>
    public async Task OnboardBrokeredAsync(Contender brokered)
    {
        var document = TenantDocument(BrokeredTenantId);
        document["issuance"] = new JsonObject
        {
            ["mode"] = "brokered", ["roleArn"] = BrokeredRoleArn, ["defaultDurationSeconds"] = 900, ["maxDurationSeconds"] = 3600,
        };
        await PutTenantAsync(brokered, BrokeredTenantId, document);

        _wellKnownFunction = await FunctionInstance.StartAsync(Launch(brokered), _ => { });
        var builder = LoopbackWebApp.CreateBuilder(new Uri(BrokerIssuer).Port);
        _wellKnown = builder.Build();
        _wellKnown.MapGet("/.well-known/{document}", async (HttpContext context, string document) =>
        {
            var path = "/.well-known/" + document;
            var result = await _wellKnownFunction.InvokeAsync(HttpApiEvent.Create(new HttpApiRequest { Method = "GET", Path = path, RouteKey = "GET " + path }, DateTimeOffset.UtcNow), context.RequestAborted);
            var answer = VendAnswer.Read(result);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answer.Body), context.RequestAborted);
        });
        await _wellKnown.StartAsync();

        Sts.AddWebIdentityTrust(new WebIdentityTrust(BrokerIssuer, LocalCloudHost.BrokerAudience) { RoleArn = BrokeredRoleArn, SubjectLike = BrokeredTenantId + ":*" });
        await Sts.PrefetchWebIdentityKeysAsync(BrokerIssuer);
    }

    private async ValueTask DisposeBrokerAsync()
    {
        if (_wellKnown is not null)
        {
            await _wellKnown.DisposeAsync();
        }

        if (_wellKnownFunction is not null)
        {
            await _wellKnownFunction.DisposeAsync();
        }

        await KmsProxy.DisposeAsync();
        await _kms.DisposeAsync();
    }
}
