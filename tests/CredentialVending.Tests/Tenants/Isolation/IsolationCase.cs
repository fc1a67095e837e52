using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tenants;

namespace CredentialVending.Tests.Tenants.Isolation;

/// <summary>
/// A tenant document as the generators build it: its mode, its session tags, and its scopes' statements (JSON text, so a
/// case prints as the document an operator would have put). The same document is onboarded under both tenants.
/// </summary>
internal sealed record IsolationDocument(IssuanceMode Mode, IReadOnlyList<KeyValuePair<string, string>> SessionTags, IReadOnlyList<IReadOnlyList<string>> Scopes)
{
    public static string ScopeName(int index) => $"scope{index}";

    /// <summary>The PUT body for <paramref name="tenantId"/>: each tenant names its own role, as one trust per tenant wants.</summary>
    public string ToJson(string tenantId)
    {
        var scopes = new JsonObject();
        for (var i = 0; i < Scopes.Count; i++)
        {
            scopes[ScopeName(i)] = new JsonObject { ["statements"] = new JsonArray([.. Scopes[i].Select(s => JsonNode.Parse(s))]) };
        }

        var issuance = new JsonObject
        {
            ["mode"] = IssuanceModes.Name(Mode),
            ["roleArn"] = $"arn:aws:iam::123456789012:role/tenant-{tenantId}",
        };
        var document = new JsonObject
        {
            ["status"] = "active",
            ["identity"] = Mode == IssuanceMode.Saml ? SamlIdentity() : new JsonObject { ["issuer"] = "https://idp.example.com", ["audiences"] = new JsonArray("app") },
            ["issuance"] = issuance,
            ["scopes"] = scopes,
        };
        if (SessionTags.Count > 0)
        {
            document["sessionTags"] = new JsonObject([.. SessionTags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]);
        }

        return document.ToJsonString();
    }

    /// <summary>One identity provider for both tenants, its attributes filling the claims the generated statements read.</summary>
    private static JsonObject SamlIdentity() => new()
    {
        ["saml"] = new JsonObject
        {
            ["entityId"] = "https://idp.example.com/saml",
            ["providerArn"] = "arn:aws:iam::123456789012:saml-provider/idp",
            ["attributes"] = new JsonObject { ["urn:org"] = "org", ["urn:region"] = "region", ["urn:acct"] = "acct" },
        },
    };

    /// <summary>The document read as PUT reads it: every rule and the onboarding lint.</summary>
    public Outcome<TenantDocument> Put(string tenantId) =>
        TenantDocumentReader.Read(Encoding.UTF8.GetBytes(ToJson(tenantId)), tenantId, allowInsecureLoopbackIssuers: false);

    /// <summary>The document read as a stored one is, without the lint: how a leaking document is rendered on purpose.</summary>
    public TenantDocument Stored(string tenantId)
    {
        var read = TenantDocumentReader.ReadStored(Encoding.UTF8.GetBytes(ToJson(tenantId)), tenantId, allowInsecureLoopbackIssuers: false);
        return read.Value ?? throw new InvalidOperationException($"the document is not even well formed: {read.Refusal}");
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(IssuanceModes.Name(Mode));
        text.Append(", sessionTags {").Append(string.Join(", ", SessionTags.Select(t => $"{t.Key}: {t.Value}"))).Append('}');
        for (var i = 0; i < Scopes.Count; i++)
        {
            text.Append("\n    ").Append(ScopeName(i)).Append(": ").Append(string.Join("\n            ", Scopes[i]));
        }

        return text.ToString();
    }
}

/// <summary>A user of a tenant: the subject and the claims their identity provider put in the token.</summary>
internal sealed record Caller(string TenantId, string Subject, string Org, string Region, string Account)
{
    public ClaimSet Claims => new(new Dictionary<string, JsonElement>
    {
        ["sub"] = JsonSerializer.SerializeToElement(Subject),
        ["org"] = JsonSerializer.SerializeToElement(Org),
        ["region"] = JsonSerializer.SerializeToElement(Region),
        ["acct"] = JsonSerializer.SerializeToElement(Account),
    });

    public override string ToString() => $"{TenantId}/{Subject} (org={Org}, region={Region}, acct={Account})";
}

/// <summary>
/// One run of the property: a document, two tenants, two callers of each, and how a probe fills a wildcard of the
/// owner's names (the filler, with T for the prober's tenant and S for its subject).
/// </summary>
internal sealed record IsolationCase(IsolationDocument Document, IReadOnlyList<Caller> Callers, string Filler)
{
    public override string ToString() =>
        $"document: {Document}\n  callers: {string.Join("; ", Callers)}\n  wildcard filler: {Filler}";
}
