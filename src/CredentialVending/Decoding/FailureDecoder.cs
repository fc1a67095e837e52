using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Leases;
using CredentialVending.Tenants;

namespace CredentialVending.Decoding;

/// <summary>The summary docs/api.md's "Decode" answers beside the decoded message.</summary>
public sealed record DecodeSummary(bool Allowed, bool ExplicitDeny, string? Action, string? Resource, string PrincipalArn, string? LeaseId, string Explanation);

/// <summary>A decoded message that belongs to the tenant: STS's JSON as it came, and its summary.</summary>
public sealed record DecodeResult(string DecodedJson, DecodeSummary Summary);

/// <summary>
/// docs/api.md's "Decode" for a tenant whose caller holds the <c>decode</c> permission: STS decodes the message, then the
/// principal it names must be a session of one of this tenant's leases or of this tenant's role. Otherwise the answer
/// is 403 <c>forbidden</c> and nothing of the message leaves: a message names another account's or tenant's
/// resources, conditions and policies.
/// </summary>
public sealed class FailureDecoder
{
    /// <summary>STS's limit on <c>EncodedMessage</c>, in characters.</summary>
    public const int MaxEncodedLength = 10240;

    private readonly IAuthorizationMessageDecoder _sts;
    private readonly LeaseStore _leases;

    public FailureDecoder(IAuthorizationMessageDecoder sts, LeaseStore leases)
    {
        _sts = sts;
        _leases = leases;
    }

    public async Task<Outcome<DecodeResult>> DecodeAsync(TenantDocument tenant, string encodedMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(encodedMessage);
        if (encodedMessage.Length is 0 or > MaxEncodedLength)
        {
            return new Refusal(Codes.InvalidMessage, $"encodedMessage must be 1 to {MaxEncodedLength} characters, as STS takes it.");
        }

        var decoded = await _sts.DecodeAsync(encodedMessage, cancellationToken).ConfigureAwait(false);
        if (decoded.IsRefused)
        {
            return decoded.Refusal!;
        }

        DecodedMessage message;
        try
        {
            message = DecodedMessage.Read(decoded.Value!);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException("STS answered a decoded message that is not a JSON object.", e);
        }

        var owner = await OwnerAsync(tenant, message.PrincipalArn, cancellationToken).ConfigureAwait(false);
        if (!owner.Owned)
        {
            return new Refusal(Codes.Forbidden, $"The message is not about a session of tenant {tenant.TenantId}'s leases or role; it is not shown.");
        }

        return new DecodeResult(
            decoded.Value!,
            new DecodeSummary(message.Allowed, message.ExplicitDeny, message.Action, message.Resource, message.PrincipalArn!, owner.LeaseId, message.Explanation));
    }

    /// <summary>
    /// Whether the principal is a session of one of the tenant's leases (the session name is the lease id, and the lease
    /// records that very session) or, for a session name that is not a lease id, of the tenant's current role (the
    /// tenant's own use of its role, outside the service).
    /// </summary>
    private async Task<(bool Owned, string? LeaseId)> OwnerAsync(TenantDocument tenant, string? principalArn, CancellationToken cancellationToken)
    {
        if (SessionArns.ReadAssumedRole(principalArn) is not { } session)
        {
            return (false, null);
        }

        if (Ulid.IsValid(session.SessionName))
        {
            var lease = await DynamoFailures.GuardAsync(() => _leases.GetAsync(tenant.TenantId, session.SessionName, cancellationToken)).ConfigureAwait(false);

            // The lease id alone is not enough: anyone may name a session after it, in a role that is not the tenant's.
            if (lease is not null && (lease.AssumedRoleArn == principalArn || SessionArns.ReadRole(lease.RoleArn) == session.Role))
            {
                return (true, lease.LeaseId);
            }

            // A lease id is the service's own session name: one this tenant does not hold is another tenant's lease (a
            // role two tenants shared before PUT refused that) or nobody's, never "a session of this tenant's role".
            return (false, null);
        }

        if (SessionArns.ReadRole(tenant.Issuance.RoleArn) != session.Role)
        {
            return (false, null);
        }

        // A SAML session bears the name its identity provider chose, so its lease is found by its ARN (docs/api.md "Decode").
        var samlLease = tenant.Issuance.Mode == IssuanceMode.Saml
            ? await DynamoFailures.GuardAsync(() => _leases.FindBySessionAsync(tenant.TenantId, principalArn!, cancellationToken)).ConfigureAwait(false)
            : null;
        return (true, samlLease?.LeaseId);
    }
}
