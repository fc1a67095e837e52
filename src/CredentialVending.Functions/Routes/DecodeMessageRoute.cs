using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Decoding;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// POST /v1/tenants/{tenantId}/decode: decodes an STS authorization failure message for a caller holding the
/// tenant's <c>decode</c> permission, when the message is about one of the tenant's sessions.
/// </summary>
public static class DecodeMessageRoute
{
    /// <summary>docs/api.md: a decode body is at most 16 KiB.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static async Task<RouteResult> HandleAsync(RouteContext context, string message, CancellationToken cancellationToken)
    {
        var (tenant, caller) = context.Caller;
        var decoded = await context.Services.Decoder.DecodeAsync(tenant, message, cancellationToken).ConfigureAwait(false);
        if (decoded.IsRefused)
        {
            // A message about someone else's session is logged as such, with nothing of what it says.
            context.Logger.Log(LogLevel.Info, "Message not decoded.", [new("tenantId", tenant.TenantId), new("code", decoded.Refusal!.Code)]);
            return decoded.Refusal!;
        }

        var summary = decoded.Value!.Summary;
        context.Logger.Log(LogLevel.Info, "Message decoded.", [new("tenantId", tenant.TenantId), new("leaseId", summary.LeaseId), new("subject", caller.Subject)]);
        return RouteResult.Json(200, Write(decoded.Value!));
    }

    /// <summary>The body, exactly <c>{ "encodedMessage": "..." }</c>: 413 over 16 KiB, 400 for anything else.</summary>
    public static Outcome<string> Read(RouteContext context)
    {
        var body = JsonBody.Parse(context, MaxBodyBytes);
        if (body.IsRefused)
        {
            return body.Refusal!;
        }

        using var document = body.Value;
        if (document?.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Refusal.InvalidRequest("The body must be a JSON object: { \"encodedMessage\": \"...\" }.");
        }

        string? encoded = null;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name != "encodedMessage")
            {
                return Refusal.InvalidRequest("Unknown field in the body; it takes only encodedMessage.");
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return Refusal.InvalidRequest("encodedMessage must be a string: the text after \"Encoded authorization failure message:\".");
            }

            try
            {
                encoded = property.Value.GetString();
            }
            catch (InvalidOperationException)
            {
                return Refusal.InvalidRequest("encodedMessage escapes a lone UTF-16 surrogate.");
            }
        }

        return string.IsNullOrWhiteSpace(encoded)
            ? Refusal.InvalidRequest("The body must carry encodedMessage: { \"encodedMessage\": \"...\" }.")
            : encoded.Trim();
    }

    /// <summary><c>{ "decoded": STS's JSON as it came, "summary": { ... } }</c>; leaseId is null, not absent, without a lease.</summary>
    private static string Write(DecodeResult result)
    {
        var summary = result.Summary;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WritePropertyName("decoded");
            json.WriteRawValue(result.DecodedJson);
            json.WriteStartObject("summary");
            json.WriteBoolean("allowed", summary.Allowed);
            json.WriteBoolean("explicitDeny", summary.ExplicitDeny);
            WriteStringOrNull(json, "action", summary.Action);
            WriteStringOrNull(json, "resource", summary.Resource);
            json.WriteString("principalArn", summary.PrincipalArn);
            WriteStringOrNull(json, "leaseId", summary.LeaseId);
            json.WriteString("explanation", summary.Explanation);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return HttpAnswer.Utf8(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
