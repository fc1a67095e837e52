using System.Text;
using CredentialVending.Common;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>Loads a tenant's document for a request: 404 <c>tenant_not_found</c> when there is none, 503 when DynamoDB fails.</summary>
public sealed class TenantDirectory
{
    private readonly TenantStore _store;
    private readonly bool _allowInsecureLoopbackIssuers;

    public TenantDirectory(TenantStore store, bool allowInsecureLoopbackIssuers)
    {
        _store = store;
        _allowInsecureLoopbackIssuers = allowInsecureLoopbackIssuers;
    }

    public TenantStore Store => _store;

    public async Task<Outcome<TenantDocument>> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var stored = await DynamoFailures.GuardAsync(() => _store.GetAsync(tenantId, cancellationToken)).ConfigureAwait(false);
        if (stored is null)
        {
            return new Refusal(Codes.TenantNotFound, $"No tenant '{tenantId}' is onboarded.");
        }

        var document = TenantDocumentReader.ReadStored(Encoding.UTF8.GetBytes(stored.Json), tenantId, _allowInsecureLoopbackIssuers);
        return document.IsRefused
            ? throw new InvalidOperationException($"The stored document of tenant '{tenantId}' no longer reads: {document.Refusal!.Detail}")
            : document;
    }
}
