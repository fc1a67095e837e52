using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Identity;

namespace CredentialVending.Functions.Http;

/// <summary>
/// The body of <c>POST /admin/tenants/{tenantId}/preview</c>: <c>{ "claims": { ... }, "scopes": [...], "durationSeconds": n }</c>,
/// <c>claims</c> required (the claims a caller's token would carry), the others as in a credentials request.
/// </summary>
public sealed record PreviewRequest(ClaimSet Claims, IReadOnlyList<string>? Scopes, int? DurationSeconds)
{
    public static Outcome<PreviewRequest> Read(RouteContext context)
    {
        var body = JsonBody.Parse(context);
        if (body.IsRefused)
        {
            return body.Refusal!;
        }

        using var document = body.Value;
        if (document?.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Refusal.InvalidRequest("The body must be a JSON object: { \"claims\": { \"sub\": \"alice\", ... }, \"scopes\": [...], \"durationSeconds\": 900 }.");
        }

        ClaimSet? claims = null;
        IReadOnlyList<string>? scopes = null;
        int? duration = null;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case "claims" when property.Value.ValueKind == JsonValueKind.Object:
                    claims = ClaimSet.FromJsonObject(property.Value);
                    break;
                case "claims":
                    return Refusal.InvalidRequest("claims must be an object: the claims of the caller's token, by name.");
                case "scopes" when property.Value.ValueKind == JsonValueKind.Array && property.Value.EnumerateArray().All(IsText):
                    scopes = [.. property.Value.EnumerateArray().Select(v => v.GetString()!)];
                    break;
                case "scopes":
                    return Refusal.InvalidRequest("scopes must be an array of scope names.");
                case "durationSeconds" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var seconds):
                    duration = seconds;
                    break;
                case "durationSeconds":
                    return Refusal.InvalidRequest("durationSeconds must be a whole number of seconds.");
                default:
                    return Refusal.InvalidRequest("Unknown field in the body; it takes claims, scopes and durationSeconds.");
            }
        }

        return claims is null
            ? Refusal.InvalidRequest("The body must carry claims: the claims of the caller's token to preview, such as { \"sub\": \"alice\" }.")
            : new PreviewRequest(claims, scopes, duration);
    }

    // A string .NET can read: one escaping a lone surrogate is valid JSON but no string.
    private static bool IsText(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
