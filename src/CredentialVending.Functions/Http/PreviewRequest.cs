using CredentialVending.Common;
using CredentialVending.Identity;

namespace CredentialVending.Functions.Http;

/// <summary>
/// The body of <c>POST /admin/tenants/{tenantId}/preview</c>: <c>{ "claims": { ... }, "scopes": [...], "durationSeconds": n }</c>,
/// <c>claims</c> required (the claims a caller's token would carry), the others as in a credentials request.
/// </summary>
public sealed record PreviewRequest(ClaimSet Claims, IReadOnlyList<string>? Scopes, int? DurationSeconds)
{
    private static readonly BodySchema Body = new(
        [
            new("claims", BodyFieldType.Object, "claims must be an object: the claims of the caller's token, by name.")
            {
                Missing = "The body must carry claims: the claims of the caller's token to preview, such as { \"sub\": \"alice\" }.",
            },
            SessionFields.Scopes,
            SessionFields.DurationSeconds,
        ],
        "The body must be a JSON object: { \"claims\": { \"sub\": \"alice\", ... }, \"scopes\": [...], \"durationSeconds\": 900 }.",
        _ => "Unknown field in the body; it takes claims, scopes and durationSeconds.");

    public static Outcome<PreviewRequest> Read(RouteContext context)
    {
        var body = BodyReader.Read(context, Body);
        return body.IsRefused
            ? body.Refusal!
            : new PreviewRequest(ClaimSet.FromJsonObject(body.Value!.Object("claims")!.Value), body.Value.TextArray("scopes"), body.Value.WholeNumber("durationSeconds"));
    }
}
