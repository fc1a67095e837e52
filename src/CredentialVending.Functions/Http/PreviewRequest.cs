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
            if (property.Name == "claims")
            {
                if (property.Value.ValueKind != JsonValueKind.Object)
                {
                    return Refusal.InvalidRequest("claims must be an object: the claims of the caller's token, by name.");
                }

                claims = ClaimSet.FromJsonObject(property.Value);
                continue;
            }

            if (!SessionFields.TryRead(property, ref scopes, ref duration, out var wrong))
            {
                return Refusal.InvalidRequest("Unknown field in the body; it takes claims, scopes and durationSeconds.");
            }

            if (wrong is not null)
            {
                return wrong;
            }
        }

        return claims is null
            ? Refusal.InvalidRequest("The body must carry claims: the claims of the caller's token to preview, such as { \"sub\": \"alice\" }.")
            : new PreviewRequest(claims, scopes, duration);
    }
}
