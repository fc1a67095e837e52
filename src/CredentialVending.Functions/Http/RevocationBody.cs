using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Revocation;

namespace CredentialVending.Functions.Http;

/// <summary>What a revoke route's body asked for: the target (from the path or the body) and an optional reason.</summary>
public sealed record RevocationAsk(RevocationTarget? Target, string? Reason);

/// <summary>
/// The revoke routes' bodies, read strictly like every other body: a JSON object with only the fields the route takes,
/// each of its type (strings, <c>all</c> the literal <c>true</c>), and, where the body names the target, exactly one target.
/// </summary>
public static class RevocationBody
{
    public const int MaxReasonLength = 1024;

    /// <summary>The body of POST .../leases/{leaseId}/revoke: empty, or <c>{ "reason" }</c>.</summary>
    public static Outcome<RevocationAsk> ReadReason(RouteContext context) => Read(context, ["reason"], targetRequired: false);

    /// <summary>The body of POST /v1/tenants/{tenantId}/revocations: <c>{ "subject", "reason" }</c>.</summary>
    public static Outcome<RevocationAsk> ReadSubject(RouteContext context) => Read(context, ["subject", "reason"], targetRequired: true);

    /// <summary>The body of POST /admin/tenants/{tenantId}/revocations: <c>{ "leaseId" | "subject" | "all": true, "reason" }</c>.</summary>
    public static Outcome<RevocationAsk> ReadAdmin(RouteContext context) => Read(context, ["leaseId", "subject", "all", "reason"], targetRequired: true);

    private static Outcome<RevocationAsk> Read(RouteContext context, string[] fields, bool targetRequired)
    {
        var body = JsonBody.Parse(context);
        if (body.IsRefused)
        {
            return body.Refusal!;
        }

        using var document = body.Value;
        var shape = $"{{ {string.Join(", ", fields.Select(f => f == "all" ? "\"all\": true" : $"\"{f}\": \"...\""))} }}";
        if (document is null && !targetRequired)
        {
            return new RevocationAsk(null, null);
        }

        if (document?.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Refusal.InvalidRequest($"The body must be a JSON object: {shape}.");
        }

        var targets = new List<RevocationTarget>();
        string? reason = null;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!fields.Contains(property.Name, StringComparer.Ordinal))
            {
                return Refusal.InvalidRequest($"Unknown field in the body; it takes only {string.Join(", ", fields)}.");
            }

            if (property.Name == "all")
            {
                if (property.Value.ValueKind != JsonValueKind.True)
                {
                    return Refusal.InvalidRequest("all must be true: { \"all\": true } revokes every session of the tenant.");
                }

                targets.Add(RevocationTarget.All);
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not { Length: > 0 } text)
            {
                return Refusal.InvalidRequest($"{property.Name} must be a non-empty string.");
            }

            switch (property.Name)
            {
                case "reason" when text.Length > MaxReasonLength:
                    return Refusal.InvalidRequest($"reason is at most {MaxReasonLength} characters.");
                case "reason":
                    reason = text;
                    break;
                case "subject" when Leases.LeaseKeys.SubjectProblem(context.Path("tenantId"), text) is { } problem:
                    return Refusal.InvalidRequest($"subject cannot be revoked: {problem}.");
                case "subject":
                    targets.Add(RevocationTarget.OfSubject(text));
                    break;
                default:
                    targets.Add(RevocationTarget.Lease(text));
                    break;
            }
        }

        return targets.Count switch
        {
            1 => new RevocationAsk(targets[0], reason),
            0 when !targetRequired => new RevocationAsk(null, reason),
            _ => Refusal.InvalidRequest($"The body must name exactly one target: {shape}."),
        };
    }
}
