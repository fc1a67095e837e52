using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Common;
using CredentialVending.Tenants;

namespace CredentialVending.Issuing;

/// <summary>
/// Issues tenant sessions through STS, trying the <c>STS_ENDPOINTS</c> in order (docs/api.md, "STS failover"):
/// credentials from any region work in every region, so a failing endpoint is passed over for the next.
/// </summary>
public sealed class StsCredentialIssuer : ICredentialIssuer, IDisposable
{
    private readonly StsFailover _sts;

    /// <param name="endpoints">In the order to try them.</param>
    /// <param name="credentials">The function's own credentials; null for the SDK's default chain (Lambda's role).</param>
    /// <param name="attemptTimeout">For one HTTP attempt (see <see cref="StsFailover"/>).</param>
    /// <param name="endpointBudget">All the time one endpoint may take while another is left to try.</param>
    /// <param name="totalBudget">All the time every endpoint together may take (see <see cref="StsFailover"/>).</param>
    public StsCredentialIssuer(IReadOnlyList<StsEndpoint> endpoints, AWSCredentials? credentials, TimeSpan attemptTimeout, TimeSpan? endpointBudget = null, TimeSpan? totalBudget = null)
        => _sts = new StsFailover(endpoints, credentials, attemptTimeout, endpointBudget, totalBudget);

    public Task<Outcome<IssuedCredentials>> IssueAsync(IssueRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);

        // STS's own limits first: a value it would refuse is answered here, as the caller's or the tenant's problem.
        if (StsInputs.Check(request) is { } refused)
        {
            return Task.FromResult<Outcome<IssuedCredentials>>(refused);
        }

        if (request.Mode == IssuanceMode.Saml)
        {
            return IssueSamlAsync(request, ct);
        }

        return _sts.RunAsync(
            (client, endpoint, token) => request.Mode == IssuanceMode.AssumeRole
                ? AssumeRoleAsync(client, endpoint, request, token)
                : AssumeRoleWithWebIdentityAsync(client, endpoint, request, token),
            e => StsFailures.ToRefusal(e, request.Mode),
            ct);
    }

    private async Task<Outcome<IssuedCredentials>> IssueSamlAsync(IssueRequest request, CancellationToken ct)
    {
        var answer = await _sts.RunAsync(
            (client, endpoint, token) => StsSamlIssuance.AssumeRoleWithSamlAsync(client, endpoint, request, token),
            e => StsFailures.ToRefusal(e, request.Mode),
            ct).ConfigureAwait(false);
        return answer.IsRefused ? answer.Refusal! : StsSamlIssuance.Bind(answer.Value!, request.SamlExpected!);
    }

    public void Dispose() => _sts.Dispose();

    private static async Task<IssuedCredentials> AssumeRoleAsync(
        AmazonSecurityTokenServiceClient client, StsEndpoint endpoint, IssueRequest request, CancellationToken ct)
    {
        var response = await client.AssumeRoleAsync(
            new AssumeRoleRequest
            {
                RoleArn = request.RoleArn,
                RoleSessionName = request.SessionName,
                Policy = NullIfEmpty(request.PolicyJson),
                DurationSeconds = request.DurationSeconds,
                ExternalId = NullIfEmpty(request.ExternalId),
                SourceIdentity = NullIfEmpty(request.SourceIdentity),
                Tags = request.Tags.Count == 0 ? null : [.. request.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value })],
            },
            ct).ConfigureAwait(false);

#pragma warning disable CS0618 // PackedPolicySize is obsolete for SessionTokenUtilization, but docs/api.md's lease records STS's percentage as it answers it.
        var packedPolicySize = response.PackedPolicySize;
#pragma warning restore CS0618
        return ToIssued(response.Credentials, response.AssumedRoleUser, packedPolicySize, endpoint);
    }

    /// <summary>Sent unsigned by the SDK whatever credentials the client holds: the caller's token is the proof.</summary>
    private static async Task<IssuedCredentials> AssumeRoleWithWebIdentityAsync(
        AmazonSecurityTokenServiceClient client, StsEndpoint endpoint, IssueRequest request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.WebIdentityToken))
        {
            throw new ArgumentException("A webIdentity request carries the caller's token.", nameof(request));
        }

        var response = await client.AssumeRoleWithWebIdentityAsync(
            new AssumeRoleWithWebIdentityRequest
            {
                WebIdentityToken = request.WebIdentityToken,
                RoleArn = request.RoleArn,
                RoleSessionName = request.SessionName,
                Policy = NullIfEmpty(request.PolicyJson),
                DurationSeconds = request.DurationSeconds,
            },
            ct).ConfigureAwait(false);

#pragma warning disable CS0618 // As above: the lease keeps STS's PackedPolicySize percentage.
        var packedPolicySize = response.PackedPolicySize;
#pragma warning restore CS0618
        return ToIssued(response.Credentials, response.AssumedRoleUser, packedPolicySize, endpoint);
    }

    /// <summary>
    /// Credentials only when every part is usable: an access key id is what the ledger indexes and what CloudTrail shows,
    /// so an answer with a malformed one is as unreadable as one without credentials.
    /// </summary>
    internal static IssuedCredentials ToIssued(Credentials? credentials, AssumedRoleUser? user, int? packedPolicySize, StsEndpoint endpoint)
    {
        if (credentials?.AccessKeyId is null || credentials.SecretAccessKey is not { Length: > 0 } || credentials.SessionToken is not { Length: > 0 } || credentials.Expiration is null)
        {
            throw new StsGarbledAnswerException($"STS at {endpoint.Region} answered without complete credentials.");
        }

        if (!IsAccessKeyId(credentials.AccessKeyId))
        {
            throw new StsGarbledAnswerException($"STS at {endpoint.Region} answered an access key id that is not one.");
        }

        var expiration = credentials.Expiration.Value;
        var utc = expiration.Kind switch
        {
            DateTimeKind.Local => expiration.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(expiration, DateTimeKind.Utc),
            _ => expiration,
        };
        return new IssuedCredentials(
            credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, new DateTimeOffset(utc),
            user?.Arn ?? string.Empty, packedPolicySize, endpoint.Region);
    }

    // IAM's access key ids: 16 to 128 letters and digits (ASIA... for sessions).
    private static bool IsAccessKeyId(string value) => value.Length is >= 16 and <= 128 && value.All(char.IsAsciiLetterOrDigit);

    /// <summary>An optional STS parameter: empty means unset, so the request leaves it out rather than sending it empty.</summary>
    internal static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
