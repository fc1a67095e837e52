using System.Text;
using System.Text.Json;
using CredentialVending.Local.Hosting;
using CredentialVending.Tenants;

namespace CredentialVending.Tests.Tenants.Lint;

/// <summary>
/// The lint applied to every tenant document the repository holds: the bodies of admin PUT events in events/, and any
/// *.json under events/ or examples/ that is a tenant document itself. A document the project shows must pass its own lint.
/// </summary>
public class RepositoryDocumentTests
{
    private static readonly string[] Folders = ["events", "examples"];

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (var file in DocumentFiles())
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void A_tenant_document_of_the_repository_passes_the_lint(string file)
    {
        var (body, tenantId) = TenantDocument(Path.Combine(RepositoryPaths.Root, file))!.Value;

        var refusal = TenantDocumentReader.Read(Encoding.UTF8.GetBytes(body), tenantId, allowInsecureLoopbackIssuers: true).Refusal;

        Assert.True(refusal is null, $"{file}: {refusal?.Detail}: {string.Join("; ", refusal?.Errors?.Select(e => $"{e.Path} {e.Message}") ?? [])}");
    }

    [Fact]
    public void The_events_hold_at_least_the_admin_put_tenant_document() =>
        Assert.Contains(Path.Combine("events", "admin-put-tenant.json"), DocumentFiles());

    /// <summary>Paths, from the repository root, of the files that hold a tenant document.</summary>
    private static List<string> DocumentFiles() =>
        [.. Folders.Select(f => Path.Combine(RepositoryPaths.Root, f))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.json", SearchOption.AllDirectories))
            .Where(f => TenantDocument(f) is not null)
            .Select(f => Path.GetRelativePath(RepositoryPaths.Root, f))
            .Order(StringComparer.Ordinal)];

    /// <summary>The tenant document a file holds (an admin PUT event's body, or the file itself) and its tenant id; null for any other file.</summary>
    private static (string Body, string TenantId)? TenantDocument(string file)
    {
        JsonElement root;
        try
        {
            using var parsed = JsonDocument.Parse(File.ReadAllBytes(file));
            root = parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (root.TryGetProperty("routeKey", out var route) && route.ValueEquals("PUT /admin/tenants/{tenantId}")
            && root.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String)
        {
            var text = root.TryGetProperty("isBase64Encoded", out var b64) && b64.ValueKind == JsonValueKind.True
                ? Encoding.UTF8.GetString(Convert.FromBase64String(body.GetString()!))
                : body.GetString()!;
            return (text, root.GetProperty("pathParameters").GetProperty("tenantId").GetString()!);
        }

        var isTenant = root.TryGetProperty("scopes", out _) && root.TryGetProperty("identity", out _) && root.TryGetProperty("issuance", out _);
        return isTenant
            ? (root.GetRawText(), root.TryGetProperty("tenantId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : Path.GetFileNameWithoutExtension(file))
            : null;
    }
}
