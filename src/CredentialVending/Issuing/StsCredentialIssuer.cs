using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Common;
using CredentialVending.Tenants;

namespace CredentialVending.Issuing;

/// <summary>
/// Issues tenant sessions through STS, trying the <c>STS_ENDPOINTS</c> in order (API.md, "STS failover"):
/// credentials from any region work in every region, so a failing endpoint is passed over for the next.
/// </summary>
public sealed class StsCredentialIssuer : ICredentialIssuer, IDisposable
{
    private readonly (StsEndpoint Endpoint, AmazonSecurityTokenServiceClient Client)[] _clients;
    private readonly TimeSpan _endpointBudget;

    /// <param name="endpoints">In the order to try them.</param>
    /// <param name="credentials">The function's own credentials; null for the SDK's default chain (Lambda's role).</param>
    /// <param name="attemptTimeout">For one HTTP attempt: the SDK has no default timeout, and a hung endpoint must be passed over.</param>
    /// <param name="endpointBudget">
    /// All the time one endpoint may take, its retries included, while another endpoint is left to try: Lambda's
    /// timeout (10 s in the template) must leave room for the next one. The last endpoint gets what the caller allows.
    /// </param>
    public StsCredentialIssuer(IReadOnlyList<StsEndpoint> endpoints, AWSCredentials? credentials, TimeSpan attemptTimeout, TimeSpan? endpointBudget = null)
    {
        _endpointBudget = endpointBudget ?? Timeout.InfiniteTimeSpan;
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("At least one STS endpoint is needed.", nameof(endpoints));
        }

        // Built once: each client keeps its connections and its retry budget across invocations.
        _clients = [.. endpoints.Select(e => (e, StsClients.Create(e, credentials, attemptTimeout)))];
    }

    public async Task<Outcome<IssuedCredentials>> IssueAsync(IssueRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Exception? last = null;
        var throttled = false;
        for (var i = 0; i < _clients.Length; i++)
        {
            var (endpoint, client) = _clients[i];
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (i < _clients.Length - 1)
            {
                budget.CancelAfter(_endpointBudget);
            }

            try
            {
                return request.Mode == IssuanceMode.AssumeRole
                    ? await AssumeRoleAsync(client, endpoint, request, budget.Token).ConfigureAwait(false)
                    : await AssumeRoleWithWebIdentityAsync(client, endpoint, request, budget.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && StsFailures.IsEndpointFailure(e, out var kind))
            {
                last = e;
                throttled |= kind == StsFailures.Kind.Throttled;
            }
            catch (AmazonServiceException e) when (StsFailures.ToRefusal(e, request.Mode) is { } refusal)
            {
                return refusal;
            }
        }

        // Throttling eases over seconds; an outage is worth a quick retry in case the next attempt lands elsewhere.
        var retryAfter = throttled ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(2);
        var reason = last is AmazonServiceException service ? service.ErrorCode ?? service.StatusCode.ToString() : last?.GetType().Name;
        throw new DependencyUnavailableException(
            $"No STS endpoint answered ({string.Join(", ", _clients.Select(c => c.Endpoint.Region))}; last: {reason}).", retryAfter, last);
    }

    public void Dispose()
    {
        foreach (var (_, client) in _clients)
        {
            client.Dispose();
        }
    }

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

#pragma warning disable CS0618 // PackedPolicySize is obsolete for SessionTokenUtilization, but API.md's lease records STS's percentage as it answers it.
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

    private static IssuedCredentials ToIssued(Credentials? credentials, AssumedRoleUser? user, int? packedPolicySize, StsEndpoint endpoint)
    {
        if (credentials?.AccessKeyId is null || credentials.SecretAccessKey is null || credentials.SessionToken is null || credentials.Expiration is null)
        {
            throw new InvalidOperationException($"STS at {endpoint.Region} answered without complete credentials.");
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

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
