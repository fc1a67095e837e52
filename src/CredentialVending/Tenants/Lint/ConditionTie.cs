using System.Text.Json;

namespace CredentialVending.Tenants.Lint;

/// <summary>
/// Whether a statement's Condition ties it to the tenant: a key of the request or resource (aws:ResourceTag/tenant,
/// s3:prefix, dynamodb:LeadingKeys...) that must equal or be like a value holding the tenant. Operators that pass a
/// request without the key (IfExists, ForAllValues alone) or with other tenants' values too (ForAnyValue) tie nothing.
/// </summary>
internal static class ConditionTie
{
    private static readonly string[] Binding = ["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"];

    public sealed record Result(bool Tied, bool UsesPrincipalTag, IReadOnlyList<(string Path, string Message)> NearMisses);

    public static Result Of(JsonElement statement, string path, string tenantId)
    {
        var nearMisses = new List<(string, string)>();
        if (!statement.TryGetProperty("Condition", out var condition) || condition.ValueKind != JsonValueKind.Object)
        {
            return new Result(false, false, nearMisses);
        }

        foreach (var op in condition.EnumerateObject())
        {
            if (ConditionLint.Parse(op.Name) is not { } parsed || Array.IndexOf(Binding, parsed.Base) < 0 || op.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var key in op.Value.EnumerateObject())
            {
                // The session's own tags and ARN are facts about the caller, which the service sets: they tie no resource.
                if (key.Name.StartsWith("aws:Principal", StringComparison.OrdinalIgnoreCase) || Values(key.Value) is not { } values)
                {
                    continue;
                }

                var at = $"{path}.Condition.{op.Name}.{key.Name}";
                var ties = values.Select(v => (Text: v, Tie: TenantTie.Of(v, v.ResourceStart()))).ToList();
                if (ties.FirstOrDefault(t => t.Tie != Tie.Tied) is { Text: not null } loose)
                {
                    if (loose.Tie != Tie.Absent)
                    {
                        nearMisses.Add((at, TenantTie.Explain(loose.Tie, tenantId)));
                    }

                    continue;
                }

                if (Loophole(parsed, key.Name, condition) is { } loophole)
                {
                    nearMisses.Add((at, loophole));
                    continue;
                }

                return new Result(true, values.Any(v => v.UsesPrincipalTag), nearMisses);
            }
        }

        return new Result(false, false, nearMisses);
    }

    private static string? Loophole((string Qualifier, string Base, bool IfExists) op, string key, JsonElement condition)
    {
        var nullFalse = $"\"Null\": {{ \"{key}\": \"false\" }}";
        if (op.IfExists)
        {
            return $"does not tie the statement to the tenant: IfExists passes a request that has no {key}; drop IfExists";
        }

        if (op.Qualifier == "ForAnyValue:")
        {
            return $"does not tie the statement to the tenant: ForAnyValue passes when any one value is the tenant's, so other tenants' values can come along; use ForAllValues: with {nullFalse}";
        }

        if (op.Qualifier == "ForAllValues:" && !HasNullFalse(condition, key))
        {
            return $"does not tie the statement to the tenant: ForAllValues passes a request that has no {key} at all (a DynamoDB Scan); add {nullFalse} to the Condition";
        }

        return op.Qualifier.Length == 0 && key.Equals("dynamodb:LeadingKeys", StringComparison.OrdinalIgnoreCase)
            ? $"does not tie the statement to the tenant: dynamodb:LeadingKeys holds every partition key a request touches; use ForAllValues:{op.Base} with {nullFalse}"
            : null;
    }

    private static bool HasNullFalse(JsonElement condition, string key)
    {
        if (!condition.TryGetProperty("Null", out var nulls) || nulls.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        return nulls.EnumerateObject().Any(k => k.Name.Equals(key, StringComparison.OrdinalIgnoreCase)
            && (k.Value.ValueKind == JsonValueKind.False || (k.Value.ValueKind == JsonValueKind.String && k.Value.ValueEquals("false"))));
    }

    /// <summary>The key's values as sampled texts, or null when any is no string (such a value cannot name a tenant).</summary>
    private static List<SampledText>? Values(JsonElement value)
    {
        var items = value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : new[] { value };
        var texts = new List<SampledText>();
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.String || SampledText.Of(item.GetString()!) is not { } sampled)
            {
                return null;
            }

            texts.Add(sampled);
        }

        return texts.Count == 0 ? null : texts;
    }
}
