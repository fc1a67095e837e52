using System.Globalization;
using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Vending;

namespace CredentialVending.Functions.Routes;

/// <summary>POST and GET /v1/tenants/{tenantId}/credentials: scoped credentials for the caller, recorded as a lease.</summary>
public static class VendCredentialsRoute
{
    private static readonly HashSet<string> QueryNames = ["format", "scopes", "durationSeconds"];

    // A POST may have no body: the query string then says it all.
    private static readonly BodySchema Body = new(
        [SessionFields.Scopes, SessionFields.DurationSeconds, SamlResponse],
        "The body must be a JSON object: { \"scopes\": [...], \"durationSeconds\": 900 }.",
        name => $"Unknown field '{name}'; the body takes scopes, durationSeconds and (for a saml tenant) samlResponse.")
    {
        Optional = true,
    };

    private static BodyField SamlResponse => new("samlResponse", BodyFieldType.Text, "samlResponse must be a string: the base64 SAML response.");

    // SAML's browser POST binding (docs/api.md "SAML tenants"); RelayState is the identity provider's to echo, and unread.
    private static readonly string[] FormFields = ["SAMLResponse", "RelayState", "scopes", "durationSeconds"];

    // Credentials are secrets: no cache may keep them (RouteResult's no-store).
    public static async Task<RouteResult> HandleAsync(RouteContext context, (string Format, IReadOnlyList<string>? Scopes, int? Duration) read, CancellationToken cancellationToken)
    {
        var (format, scopes, duration) = read;
        var http = context.Request.RequestContext?.Http;
        var outcome = await context.Services.Vendor.VendAsync(
            context.Caller, new VendRequest(scopes, duration, http?.SourceIp, http?.UserAgent, context.RequestId), cancellationToken).ConfigureAwait(false);
        if (outcome.IsRefused)
        {
            // An issuance_failed detail is the service's own words (an STS error code, or which field STS's SAML answer
            // disagreed on), never the caller's token or response: worth the operator's log.
            context.Logger.Log(Lambda.Context.LogLevel.Info, "Credentials refused.", outcome.Refusal!.Code == Codes.IssuanceFailed
                ? [new("code", outcome.Refusal.Code), new("detail", outcome.Refusal.Detail)]
                : [new("code", outcome.Refusal.Code)]);
            return outcome.Refusal!;
        }

        var (lease, credentials) = outcome.Value!;
        context.Logger.AppendKey("leaseId", lease.LeaseId);
        context.Logger.Log(Lambda.Context.LogLevel.Info, "Credentials issued.", [
            new("subject", lease.Subject),
            new("accessKeyId", lease.AccessKeyId), new("stsRegion", lease.StsRegion), new("expiresAt", Iso8601.Format(lease.ExpiresAt))]);
        return format switch
        {
            "credential_process" => RouteResult.Json(200, new CredentialProcessOutput(1, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, Iso8601.Format(credentials.Expiration)), FunctionsJsonContext.Default.CredentialProcessOutput),
            "container" => RouteResult.Json(200, new ContainerCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, Iso8601.Format(credentials.Expiration), lease.AssumedRoleArn), FunctionsJsonContext.Default.ContainerCredentials),
            _ => RouteResult.Json(200, VendResponse.From(lease, credentials), FunctionsJsonContext.Default.VendResponse),
        };
    }

    /// <summary>The format, scopes and duration, from the query string (GET and POST) and the JSON body (POST).</summary>
    public static Outcome<(string Format, IReadOnlyList<string>? Scopes, int? Duration)> Read(RouteContext context)
    {
        var query = context.Request.QueryStringParameters ?? new Dictionary<string, string>();
        var unknown = query.Keys.FirstOrDefault(k => !QueryNames.Contains(k));
        if (unknown is not null)
        {
            return Refusal.InvalidRequest($"Unknown query parameter '{unknown}'; this route takes format, scopes and durationSeconds.");
        }

        var format = query.GetValueOrDefault("format") ?? "json";
        if (format is not ("json" or "credential_process" or "container"))
        {
            return Refusal.InvalidRequest("format must be json, credential_process or container.");
        }

        IReadOnlyList<string>? scopes = query.TryGetValue("scopes", out var scopeList) ? ScopeList(scopeList) : null;
        int? duration = null;
        if (query.TryGetValue("durationSeconds", out var durationText) && Duration(durationText, ref duration) is { } badDuration)
        {
            return badDuration;
        }

        if (!string.Equals(context.Request.RequestContext?.Http?.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            return (format, scopes, duration);
        }

        if (FormBody.IsForm(context))
        {
            return ReadForm(context, format, scopes, duration);
        }

        var body = BodyReader.Read(context, Body);
        if (body.IsRefused)
        {
            return body.Refusal!;
        }

        scopes = body.Value!.TextArray("scopes") is { } more ? [.. scopes ?? [], .. more] : scopes;
        duration = body.Value.WholeNumber("durationSeconds") ?? duration;
        context.SamlResponse = body.Value.Text("samlResponse");
        return (format, scopes, duration);
    }

    private static Outcome<(string Format, IReadOnlyList<string>? Scopes, int? Duration)> ReadForm(RouteContext context, string format, IReadOnlyList<string>? scopes, int? duration)
    {
        var form = FormBody.Read(context, FormFields);
        if (form.IsRefused)
        {
            return form.Refusal!;
        }

        var fields = form.Value!;
        if (fields.GetValueOrDefault("SAMLResponse") is not { Length: > 0 } samlResponse)
        {
            return Refusal.InvalidRequest("A form body is SAML's POST binding: it must carry SAMLResponse.");
        }

        if (fields.TryGetValue("scopes", out var scopeList))
        {
            scopes = [.. scopes ?? [], .. ScopeList(scopeList)];
        }

        if (fields.TryGetValue("durationSeconds", out var durationText) && Duration(durationText, ref duration) is { } badDuration)
        {
            return badDuration;
        }

        context.SamlResponse = samlResponse.Trim();
        return (format, scopes, duration);
    }

    /// <summary>A comma separated scope list, as the query string and the form give one.</summary>
    private static string[] ScopeList(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static Refusal? Duration(string text, ref int? duration)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Refusal.InvalidRequest("durationSeconds must be a whole number of seconds, given once.");
        }

        duration = seconds;
        return null;
    }
}
