using System.Text;
using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Tenants.Lint;

namespace CredentialVending.Tenants;

/// <summary>One tenant in a listing; <see cref="Findings"/> counts what PUT would now refuse in its stored document.</summary>
public sealed record TenantSummary(string TenantId, string? DisplayName, string Status, long Version, int Findings);

/// <summary>
/// The admin routes' tenants: store (reader, lint, then <see cref="TenantTrust"/>), get and list. Refusals are the
/// caller's to fix; a DynamoDB failure is a <see cref="DependencyUnavailableException"/> (503) here, not in each route.
/// </summary>
public sealed class TenantAdministration
{
    private readonly TenantStore _store;
    private readonly TenantTrust _trust;
    private readonly bool _allowInsecureLoopbackIssuers;

    public TenantAdministration(TenantStore store, string? roleArnPattern, bool allowInsecureLoopbackIssuers, TimeProvider time)
    {
        _store = store;
        _trust = new TenantTrust(store, roleArnPattern, time);
        _allowInsecureLoopbackIssuers = allowInsecureLoopbackIssuers;
    }

    public async Task<Outcome<StoredTenant>> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var stored = await DynamoFailures.GuardAsync(() => _store.GetAsync(tenantId, cancellationToken)).ConfigureAwait(false);
        return stored is null ? new Refusal(Codes.TenantNotFound, $"No tenant '{tenantId}' is onboarded.") : stored;
    }

    /// <summary>
    /// Creates or updates <paramref name="tenantId"/> from a PUT body; <paramref name="ifMatch"/>, when given, must be
    /// the current ETag. Answers what happened and the tenant as now stored.
    /// </summary>
    public async Task<Outcome<(PutResult Result, StoredTenant Stored)>> PutAsync(string tenantId, byte[] body, string? ifMatch, CancellationToken cancellationToken)
    {
        var document = TenantDocumentReader.Read(body, tenantId, _allowInsecureLoopbackIssuers);
        if (document.IsRefused)
        {
            return document.Refusal!;
        }

        var json = Encoding.UTF8.GetString(TenantDocumentWriter.Write(document.Value!));
        var put = await DynamoFailures.GuardAsync(() => _trust.PutAsync(document.Value!, json, ifMatch, cancellationToken)).ConfigureAwait(false);
        if (put.IsRefused)
        {
            return put.Refusal!;
        }

        var (result, stored) = put.Value;
        if (result == PutResult.PreconditionFailed)
        {
            var current = stored is null ? "the tenant does not exist yet" : $"the current ETag is {stored.ETag}";
            return new Refusal(Codes.PreconditionFailed, $"If-Match does not match: {current}. GET the tenant, apply your change to it, and PUT it with its ETag.");
        }

        return (result, stored!);
    }

    /// <summary>A page of tenants in key order, after the tenant id <paramref name="after"/>; the next page's start, or null on the last.</summary>
    public async Task<(IReadOnlyList<TenantSummary> Items, string? Next)> ListAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        var (stored, next) = await DynamoFailures.GuardAsync(() => _store.ListAsync(limit, after, cancellationToken)).ConfigureAwait(false);
        return ([.. stored.Select(Summarize)], next);
    }

    private TenantSummary Summarize(StoredTenant tenant)
    {
        using var document = JsonDocument.Parse(tenant.Json);
        var root = document.RootElement;
        return new TenantSummary(
            tenant.TenantId,
            root.TryGetProperty("displayName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
            root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString()! : "unknown",
            tenant.Version,
            Findings(tenant));
    }

    /// <summary>
    /// What PUT would now refuse in the stored document: the lint's findings (a lint made stricter, a newer action
    /// list), or, for a document that no longer reads at all, the reader's. Zero for a document PUT takes as it is.
    /// </summary>
    private int Findings(StoredTenant tenant)
    {
        var read = TenantDocumentReader.ReadStored(Encoding.UTF8.GetBytes(tenant.Json), tenant.TenantId, _allowInsecureLoopbackIssuers);
        return read.IsRefused ? Math.Max(1, read.Refusal!.Errors?.Count ?? 0) : TenantLint.Check(read.Value!).Count;
    }
}
