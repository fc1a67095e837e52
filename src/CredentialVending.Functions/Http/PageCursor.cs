using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CredentialVending.Common;

namespace CredentialVending.Functions.Http;

/// <summary>
/// Opaque, tamper-evident page cursors: base64url of (binding, position) and an HMAC-SHA256 tag over both. The binding
/// names whose list and which query (the tenant and a hash of the filters), so a cursor is refused for any other.
/// The key is derived from the deployment's table names, which every instance of every function has and which no
/// restart changes, so no secret has to be managed. Its secrecy is not what keeps tenants apart: the routes build
/// the DynamoDB start key from the path's tenant and the query, never from the cursor, so a forged cursor could only
/// move within a list its bearer may read anyway. The tag is what makes an edited cursor a 400 rather than a guess.
/// </summary>
public sealed class PageCursor
{
    private const int TagLength = 16;
    private const string Version = "c1";
    private readonly byte[] _key;

    public PageCursor(string deploymentSeed) =>
        _key = SHA256.HashData(Encoding.UTF8.GetBytes("credvend page cursor\n" + deploymentSeed));

    /// <summary>The binding of a query: who it is for and a hash of what it filters on (never the page size).</summary>
    public static string Binding(string list, params string?[] parts)
    {
        var joined = string.Join('\n', parts.Select(p => p is null ? "-" : "+" + p));
        return $"{list}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)))[..32]}";
    }

    public string Seal(string binding, string position)
    {
        var payload = Encoding.UTF8.GetBytes($"{Version}\n{binding}\n{position}");
        return Base64Url.EncodeToString([.. payload, .. Tag(payload)]);
    }

    /// <summary>As <see cref="Open"/>, for a query that may have no cursor: null then (the first page).</summary>
    public Outcome<string?> OpenIfAny(string? cursor, string binding)
    {
        if (cursor is null)
        {
            return (string?)null;
        }

        var opened = Open(cursor, binding);
        return opened.IsRefused ? opened.Refusal! : opened.Value;
    }

    /// <summary>The position a cursor holds, or 400 <c>invalid_request</c> for one not made by this deployment for this query.</summary>
    public Outcome<string> Open(string cursor, string binding)
    {
        byte[] raw;
        try
        {
            raw = cursor.Length is > 0 and <= 1024 ? Base64Url.DecodeFromChars(cursor) : [];
        }
        catch (FormatException)
        {
            raw = [];
        }

        if (raw.Length <= TagLength || !CryptographicOperations.FixedTimeEquals(Tag(raw.AsSpan(0, raw.Length - TagLength)), raw.AsSpan(raw.Length - TagLength)))
        {
            return Refusal.InvalidRequest("cursor is not one this service gave out, or it was changed: use nextCursor exactly as answered.");
        }

        var parts = Encoding.UTF8.GetString(raw, 0, raw.Length - TagLength).Split('\n');
        if (parts.Length != 3 || parts[0] != Version || parts[1] != binding)
        {
            return Refusal.InvalidRequest("cursor belongs to another query: page with the same tenant and the same filters it was given for.");
        }

        return parts[2];
    }

    private byte[] Tag(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(_key, payload)[..TagLength];
}
