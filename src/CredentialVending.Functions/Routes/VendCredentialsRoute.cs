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

    // Credentials are secrets: no cache may keep them (RouteResult's no-store).
    public static async Task<RouteResult> HandleAsync(RouteContext context, (string Format, IReadOnlyList<string>? Scopes, int? Duration) read, CancellationToken cancellationToken)
    {
        var (format, scopes, duration) = read;
        var http = context.Request.RequestContext?.Http;
        var outcome = await context.Services.Vendor.VendAsync(
            context.Caller, new VendRequest(scopes, duration, http?.SourceIp, http?.UserAgent, context.RequestId), cancellationToken).ConfigureAwait(false);
        if (outcome.IsRefused)
        {
            context.Logger.Log(Lambda.Context.LogLevel.Info, "Credentials refused.", [new("tenantId", context.Path("tenantId")), new("code", outcome.Refusal!.Code)]);
            return outcome.Refusal!;
        }

        var (lease, credentials) = outcome.Value!;
        context.Logger.Log(Lambda.Context.LogLevel.Info, "Credentials issued.", [
            new("tenantId", lease.TenantId), new("leaseId", lease.LeaseId), new("subject", lease.Subject),
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

        IReadOnlyList<string>? scopes = query.TryGetValue("scopes", out var scopeList)
            ? scopeList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : null;
        int? duration = null;
        if (query.TryGetValue("durationSeconds", out var durationText))
        {
            if (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return Refusal.InvalidRequest("durationSeconds must be a whole number of seconds, given once.");
            }

            duration = seconds;
        }

        if (!string.Equals(context.Request.RequestContext?.Http?.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            return (format, scopes, duration);
        }

        var body = JsonBody.Parse(context);
        if (body.IsRefused)
        {
            return body.Refusal!;
        }

        using var document = body.Value;
        if (document is null)
        {
            return (format, scopes, duration);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Refusal.InvalidRequest("The body must be a JSON object: { \"scopes\": [...], \"durationSeconds\": 900 }.");
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!SessionFields.TryRead(property, ref scopes, ref duration, out var wrong))
            {
                return Refusal.InvalidRequest($"Unknown field '{property.Name}'; the body takes scopes and durationSeconds.");
            }

            if (wrong is not null)
            {
                return wrong;
            }
        }

        return (format, scopes, duration);
    }
}
