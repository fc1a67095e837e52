using System.Security.Cryptography;
using System.Text;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Limits;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>A request for credentials, as the vend route read it. <see cref="Authorization"/> holds the caller's JWT: never log it.</summary>
public sealed record VendRequest(string TenantId, string? Authorization, IReadOnlyList<string>? Scopes, int? DurationSeconds, string? SourceIp, string? UserAgent, string? RequestId)
{
    public override string ToString() => $"VendRequest {{ TenantId = {TenantId}, RequestId = {RequestId} }}";
}

public sealed record VendResult(Lease Lease, IssuedCredentials Credentials);

/// <summary>
/// docs/api.md's "Credentials", steps 1 to 8: authenticate, plan, limit, issue, record. The lease is written before the
/// credentials are returned; when it cannot be written the credentials are dropped unseen and the answer is 503.
/// </summary>
public sealed class CredentialVendor
{
    private readonly TenantDirectory _tenants;
    private readonly TokenAuthenticator _authenticator;
    private readonly ICredentialIssuer _issuer;
    private readonly LeaseStore _leases;
    private readonly RateLimiter _limiter;
    private readonly TimeProvider _time;

    public CredentialVendor(TenantDirectory tenants, TokenAuthenticator authenticator, ICredentialIssuer issuer, LeaseStore leases, RateLimiter limiter, TimeProvider time)
    {
        _tenants = tenants;
        _authenticator = authenticator;
        _issuer = issuer;
        _leases = leases;
        _limiter = limiter;
        _time = time;
    }

    /// <summary>Raised when a lease could not be written after STS answered; the credentials were dropped.</summary>
    public event Action<string, Exception>? LeaseWriteFailed;

    public async Task<Outcome<VendResult>> VendAsync(VendRequest request, CancellationToken cancellationToken)
    {
        // 1. A token of the right form, the tenant, then the caller against the tenant's issuer, then the tenant's status.
        // The token is read once, here, before any tenant is: whatever is wrong with its form is a 401 for everyone.
        var token = BearerToken.Read(request.Authorization);
        if (token.IsRefused)
        {
            return token.Refusal!;
        }

        // The tenant read and, when that read is due, the rate counter with it: one DynamoDB round trip before STS.
        var (tenant, count) = await RateCount.LoadAsync(_tenants, _limiter, _time, request.TenantId, cancellationToken).ConfigureAwait(false);
        if (tenant.IsRefused)
        {
            return tenant.Refusal!;
        }

        var document = tenant.Value!;
        var caller = await _authenticator.AuthenticateAsync(token.Value!, document, cancellationToken).ConfigureAwait(false);
        if (caller.IsRefused)
        {
            return caller.Refusal!;
        }

        // In webIdentity mode STS tags the session from the token itself: a token that would tag it for another
        // tenant never reaches STS (docs/api.md "Rules").
        if (document.Issuance.Mode == IssuanceMode.WebIdentity && PrincipalTagsClaim.Check(caller.Value!.Claims, document.TenantId) is { } retenanted)
        {
            return retenanted;
        }

        if (document.Status == TenantStatus.Suspended)
        {
            return new Refusal(Codes.TenantSuspended, $"Tenant '{document.TenantId}' is suspended; no credentials are issued for it.");
        }

        // 2-4. Scopes, duration, the rendered policy and tags.
        var who = caller.Value!;
        var plan = SessionPlanner.Plan(document, who.Subject, who.Claims, request.Scopes, request.DurationSeconds);
        if (plan.IsRefused)
        {
            return plan.Refusal!;
        }

        // 5. The tenant's rate limit.
        if (document.Limits?.RequestsPerMinute is { } perMinute)
        {
            var wait = await count.WaitAsync(perMinute, cancellationToken).ConfigureAwait(false);
            if (wait is { } retryAfter)
            {
                return new Refusal(Codes.RateLimited, $"Tenant '{document.TenantId}' is limited to {perMinute} requests a minute.", RetryAfter: retryAfter);
            }
        }

        // 6-7. A new lease id, which is the STS session name; then STS.
        var issuedAt = _time.GetUtcNow();
        var leaseId = Ulid.New(issuedAt);
        var session = plan.Value!;
        var issuance = document.Issuance;
        var assumeRole = issuance.Mode == IssuanceMode.AssumeRole;
        var issued = await _issuer.IssueAsync(
            IssueRequest.ForVend(issuance, leaseId, session.Session, session.DurationSeconds, who.Subject, who.RawToken), cancellationToken).ConfigureAwait(false);
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
            Mode = assumeRole ? "assumeRole" : "webIdentity",
            RoleArn = issuance.RoleArn,
            AssumedRoleArn = credentials.AssumedRoleArn,
            AccessKeyId = credentials.AccessKeyId,
            IssuedAt = issuedAt,
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
            throw new DependencyUnavailableException("The lease could not be recorded, so no credentials were returned; try again shortly.", DynamoFailures.RetryAfter, e);
        }

        return new VendResult(lease, credentials);
    }
}
