using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Local.Sts;

/// <summary>
/// The session tags a web identity token carries in its <c>https://aws.amazon.com/tags</c> claim, read by STS's rules:
/// <c>principal_tags</c> maps each key to a one-element array of its value, at most 50 tags, keys unique ignoring case,
/// and every key of <c>transitive_tag_keys</c> among them. No claim, no tags.
/// </summary>
internal static class WebIdentityTags
{
    public const string Claim = "https://aws.amazon.com/tags";

    public static (IReadOnlyList<KeyValuePair<string, string>> Tags, IReadOnlyList<string> Transitive, StsError? Error) Read(JsonWebToken jwt)
    {
        // Read from the payload itself: IdentityModel's typed getters answer "absent" for a claim of an unexpected type.
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        if (!payload.RootElement.TryGetProperty(Claim, out var claim))
        {
            return ([], [], null);
        }

        var tags = new List<KeyValuePair<string, string>>();
        var transitive = new List<string>();
        if (claim.ValueKind != JsonValueKind.Object
            || !claim.TryGetProperty("principal_tags", out var principal) || principal.ValueKind != JsonValueKind.Object)
        {
            return Invalid("the tags claim must be an object with a principal_tags object");
        }

        foreach (var tag in principal.EnumerateObject())
        {
            if (tag.Value.ValueKind != JsonValueKind.Array || tag.Value.GetArrayLength() != 1 || tag.Value[0].ValueKind != JsonValueKind.String)
            {
                return Invalid($"the value of tag {tag.Name} must be an array of one string");
            }

            tags.Add(new(tag.Name, tag.Value[0].GetString()!));
        }

        if (claim.TryGetProperty("transitive_tag_keys", out var keys))
        {
            if (keys.ValueKind != JsonValueKind.Array || keys.EnumerateArray().Any(k => k.ValueKind != JsonValueKind.String))
            {
                return Invalid("transitive_tag_keys must be an array of strings");
            }

            transitive.AddRange(keys.EnumerateArray().Select(k => k.GetString()!));
        }

        var limits = new StsLimits();
        limits.Tags(tags);
        limits.Count("transitiveTagKeys", transitive.Count, 50);
        if (limits.Result() is { } invalid)
        {
            return Invalid(invalid.Message);
        }

        if (tags.GroupBy(t => t.Key, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            return Invalid("duplicate tag keys found; tag keys are case insensitive");
        }

        return transitive.Any(k => !tags.Any(t => string.Equals(t.Key, k, StringComparison.OrdinalIgnoreCase)))
            ? Invalid("every transitive tag key must be among the principal tags")
            : (tags, transitive, null);
    }

    private static (IReadOnlyList<KeyValuePair<string, string>>, IReadOnlyList<string>, StsError?) Invalid(string why) =>
        ([], [], StsError.InvalidIdentityToken("The web identity token's session tags are invalid: " + why + "."));
}
