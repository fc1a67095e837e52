using CredentialVending.Local.Sts;

namespace CredentialVending.Local.ApiGateway;

/// <summary>An IAM access key the emulator's AWS_IAM authorizer knows, and the principal ARN it stands for.</summary>
public sealed record IamCredential(string AccessKeyId, string SecretAccessKey, string Arn);

/// <summary>
/// API Gateway's <c>AWS_IAM</c> authorizer, for the local API: a route that names it is served only when the request
/// carries a genuine SigV4 signature for service <c>execute-api</c> in the API's region, made with a key it knows.
/// The signature is checked by the STS emulator's verifier, so there is one SigV4 implementation in the local cloud.
/// </summary>
public sealed class IamAuthorizer(IReadOnlyList<IamCredential> credentials, string region, TimeProvider? time = null)
{
    public const string Service = "execute-api";

    private readonly Dictionary<string, IamCredential> _byKey = credentials.ToDictionary(c => c.AccessKeyId, StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The signer, or null: unsigned, malformed, another service or region, an unknown key, a bad signature, a stale date.</summary>
    public IamCredential? Authorize(HttpRequest request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (header, malformed) = SigV4.Parse(request);
        if (header is null || malformed is not null || !_byKey.TryGetValue(header.AccessKeyId, out var credential))
        {
            return null;
        }

        return SigV4.Verify(request, body, header, credential.SecretAccessKey, region, _time.GetUtcNow(), Service) is null ? credential : null;
    }
}
