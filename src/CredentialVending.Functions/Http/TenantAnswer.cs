using System.Text;
using System.Text.Json;
using CredentialVending.Tenants;

namespace CredentialVending.Functions.Http;

/// <summary>A stored tenant as answered by the admin routes: the document with its <c>version</c>, and its ETag.</summary>
public static class TenantAnswer
{
    public static RouteResult From(StoredTenant stored, int status) =>
        RouteResult.Json(status, WithVersion(stored), new Dictionary<string, string> { ["etag"] = stored.ETag });

    /// <summary>The stored JSON with <c>version</c> added, so a GET body can be edited and PUT back.</summary>
    public static string WithVersion(StoredTenant stored)
    {
        using var document = JsonDocument.Parse(stored.Json);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name != "version")
                {
                    property.WriteTo(json);
                }
            }

            json.WriteNumber("version", stored.Version);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
