using System.Security.Cryptography;
using System.Text;
using CredentialVending.Brokering;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Limits;
using CredentialVending.Revocation;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>A request for credentials, as the vend route read it, for a caller the host has authenticated.</summary>
public sealed record VendRequest(IReadOnlyList<string>? Scopes, int? DurationSeconds, string? SourceIp, string? UserAgent, string? RequestId);

public sealed record VendResult(Lease Lease, IssuedCredentials Credentials);

/// <summary>
/// docs/api.md's "Credentials", steps 1 to 8, for a caller <see cref="CallerAuthentication"/> let in: plan, limit, issue, record. The lease is written before the
/// credentials are returned; when it cannot be written the credentials are dropped unseen and the answer is 503.
/// </summary>
public sealed class CredentialVendor
{
    private readonly ICredentialIssuer _issuer;
    private readonly LeaseStore _leases;
    private readonly RateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly TokenBroker? _broker;

    /// <param name="broker">The brokered mode's token minter; null when the function has no <c>BROKER_*</c> settings.</param>
    public CredentialVendor(ICredentialIssuer issuer, LeaseStore leases, RateLimiter limiter, TimeProvider time, TokenBroker? broker = null)
    {
        _issuer = issuer;
        _leases = leases;
        _limiter = limiter;
        _time = time;
        _broker = broker;
    }

    /// <summary>Raised when a lease could not be written after STS answered; the credentials were dropped.</summary>
    public event Action<string, Exception>? LeaseWriteFailed;

    public async Task<Outcome<VendResult>> VendAsync(TenantCaller caller, VendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);

        // 1. The caller is the tenant's (checked by CallerAuthentication); then what its token may not do, and the tenant's status.
        var (document, who) = caller;
        if (CallerAuthentication.Issuable(document, who.Claims) is { } refused)
        {
            return refused;
        }

        // A revoked subject's tokens issued before its revocation get nothing new (docs/api.md, "Revocation").
        if (document.Revoked.Refuses(who.Subject, TokenRevocations.IssuedAt(who.Claims), _time.GetUtcNow()))
        {
            return new Refusal(Codes.Revoked, "This subject's access was revoked after this token was issued; sign in again for a new token.");
        }

        // 2-4. Scopes, duration, the rendered policy and tags.
        var plan = SessionPlanner.Plan(document, who.Subject, who.Claims, request.Scopes, request.DurationSeconds);
        if (plan.IsRefused)
        {
            return plan.Refusal!;
        }

        // 5. The tenant's rate limit.
        if (document.Limits?.RequestsPerMinute is { } perMinute)
        {
            // The count sent alongside the tenant read (CallerAuthentication), when it went out with it.
            var wait = await (caller.Count ?? RateCount.Fresh(_limiter, _time, document.TenantId)).WaitAsync(perMinute, cancellationToken).ConfigureAwait(false);
            if (wait is { } retryAfter)
            {
                InvocationMetrics.Count(MetricNames.RateLimited);
                return new Refusal(Codes.RateLimited, $"Tenant '{document.TenantId}' is limited to {perMinute} requests a minute.", RetryAfter: retryAfter);
            }
        }

        // 6-7. A new lease id, which is the STS session name; then STS.
        var issuedAt = _time.GetUtcNow();
        var leaseId = Ulid.New(issuedAt);
        var session = plan.Value!;
        var issuance = document.Issuance;
        var token = who.RawToken;
        if (issuance.Mode == IssuanceMode.Brokered)
        {
            // The caller's token never reaches STS: ours does, with our tags, signed before any STS call (docs/api.md "Brokered tenants").
            token = _broker is null
                ? null
                : await _broker.MintAsync(document.TenantId, who.Subject, leaseId, session.Session.Tags, cancellationToken).ConfigureAwait(false);
            if (token is null)
            {
                return BrokerFailures.NotConfigured(document.TenantId);
            }
        }

        var ask = who.Saml is { } saml
            ? IssueRequest.ForSaml(document, session.Session, session.DurationSeconds, who.RawToken, saml)
            : IssueRequest.ForVend(issuance, leaseId, session.Session, session.DurationSeconds, who.Subject, token);
        var issued = await _issuer.IssueAsync(ask, cancellationToken).ConfigureAwait(false);
        if (issued.IsRefused)
        {
            return issued.Refusal!;
        }

        // 8. The ledger first; only a recorded lease's credentials leave.
        var credentials = issued.Value!;
        var lease = new Lease
        {
            LeaseId = leaseId,
            TenantId = document.TenantId,
            Subject = who.Subject,
            Issuer = who.Issuer,
            Scopes = session.Scopes.Select(s => s.Name).ToArray(),
            Mode = IssuanceModes.Name(issuance.Mode),
            RoleArn = issuance.RoleArn,
            AssumedRoleArn = credentials.AssumedRoleArn,
            AccessKeyId = credentials.AccessKeyId,
            // A saml session's issue time is STS's (what aws:TokenIssueTime holds, which revoking one lease compares exactly).
            IssuedAt = who.Saml is null ? issuedAt : credentials.Expiration.AddSeconds(-session.DurationSeconds),
            SessionName = who.Saml?.RoleSessionName,
            ExpiresAt = credentials.Expiration,
            DurationSeconds = session.DurationSeconds,
            StsRegion = credentials.Region,
            PolicySha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(session.Session.PolicyJson))),
            PackedPolicySize = credentials.PackedPolicySize,
            SourceIp = request.SourceIp,
            UserAgent = request.UserAgent,
            RequestId = request.RequestId,
        };
        try
        {
            await _leases.PutAsync(lease, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever kept the lease from being written, the credentials must not leave.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LeaseWriteFailed?.Invoke(leaseId, e);
            InvocationMetrics.Count(MetricNames.LedgerWriteFailed);
            throw new DependencyUnavailableException("The lease could not be recorded, so no credentials were returned; try again shortly.", DynamoFailures.RetryAfter, e);
        }

        InvocationMetrics.Count(MetricNames.CredentialsIssued);
        return new VendResult(lease, credentials);
    }
}
