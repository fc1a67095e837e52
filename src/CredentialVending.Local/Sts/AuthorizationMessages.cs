using System.Buffers.Text;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CredentialVending.Local.Sts;

/// <summary>An authorization failure to encode, as a service that refused a call would report it.</summary>
public sealed record AuthorizationFailure
{
    /// <summary>The ARN of the principal that was refused, usually an assumed-role session.</summary>
    public required string PrincipalArn { get; init; }

    /// <summary>The action as the decoded message names it (for example <c>s3:PutObject</c>).</summary>
    public required string Action { get; init; }

    public required string Resource { get; init; }

    public bool Allowed { get; init; }

    public bool ExplicitDeny { get; init; }

    /// <summary>When set, the message carries one matched statement with this id (effect DENY when <see cref="ExplicitDeny"/>, else ALLOW).</summary>
    public string? MatchedStatementId { get; init; }

    /// <summary>The request's condition keys and values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Conditions { get; init; }
}

/// <summary>
/// Encodes failures into opaque, tamper-evident messages (base64url of an HMAC-SHA256 tag and the DEFLATE-compressed
/// decoded JSON, keyed per emulator) and decodes them back into the JSON STS's DecodeAuthorizationMessage returns.
/// </summary>
internal sealed class AuthorizationMessages
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Encode(AuthorizationFailure failure, string principalId)
    {
        var json = Encoding.UTF8.GetBytes(DecodedJson(failure, principalId));
        using var packed = new MemoryStream();
        using (var deflate = new DeflateStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(json);
        }

        var body = packed.ToArray();
        return Base64Url.EncodeToString([.. HMACSHA256.HashData(_key, body), .. body]);
    }

    public bool TryDecode(string encoded, out string decodedJson)
    {
        decodedJson = string.Empty;
        byte[] raw;
        try
        {
            raw = Base64Url.DecodeFromChars(encoded);
        }
        catch (FormatException)
        {
            return false;
        }

        if (raw.Length <= 32 || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, raw.AsSpan(32)), raw.AsSpan(0, 32)))
        {
            return false;
        }

        using var deflate = new DeflateStream(new MemoryStream(raw, 32, raw.Length - 32), CompressionMode.Decompress);
        using var reader = new StreamReader(deflate, Encoding.UTF8);
        decodedJson = reader.ReadToEnd();
        return true;
    }

    // Written by hand to keep STS's member order and its { "items": [...] } wrappers exactly.
    private static string DecodedJson(AuthorizationFailure failure, string principalId)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("allowed", failure.Allowed);
            w.WriteBoolean("explicitDeny", failure.ExplicitDeny);
            Items<string>(w, "matchedStatements", failure.MatchedStatementId is null ? [] : [failure.MatchedStatementId], id =>
            {
                w.WriteString("statementId", id);
                w.WriteString("effect", failure.ExplicitDeny ? "DENY" : "ALLOW");
                Values(w, "principals", [principalId.Split(':')[0]]);
                Values(w, "principalGroups", []);
                Values(w, "actions", [failure.Action]);
                Values(w, "resources", [failure.Resource]);
                Values(w, "conditions", []);
            });
            Items(w, "failures", Array.Empty<string>(), _ => { });
            w.WriteStartObject("context");
            w.WriteStartObject("principal");
            w.WriteString("id", principalId);
            w.WriteString("arn", failure.PrincipalArn);
            w.WriteEndObject();
            w.WriteString("action", failure.Action);
            w.WriteString("resource", failure.Resource);
            Items(w, "conditions", (failure.Conditions ?? new Dictionary<string, IReadOnlyList<string>>()).ToList(), condition =>
            {
                w.WriteString("key", condition.Key);
                Values(w, "values", condition.Value);
            });
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Items<T>(Utf8JsonWriter w, string name, IReadOnlyList<T> items, Action<T> writeItem)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("items");
        foreach (var item in items)
        {
            w.WriteStartObject();
            writeItem(item);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Values(Utf8JsonWriter w, string name, IReadOnlyList<string> values) =>
        Items(w, name, values, value => w.WriteString("value", value));
}
