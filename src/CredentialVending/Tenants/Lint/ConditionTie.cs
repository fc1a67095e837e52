using System.Text.Json;

namespace CredentialVending.Tenants.Lint;

/// <summary>
/// Whether a statement's Condition ties it to the tenant, from docs/api.md's allow-list: a key that describes the resource
/// (aws:ResourceTag/*, s3:ExistingObjectTag/*) or fences what the request names inside a named bucket or table (s3:prefix,
/// dynamodb:LeadingKeys), compared to the fenced tenant without IfExists. Any other key ties nothing, whatever it compares.
/// </summary>
internal static class ConditionTie
{
    // The wildcards of the Like forms are held to the same fence as a Resource's.
    private static readonly string[] Binding = ["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"];

    private const string HowToTie = "tie by a key of the resource instead (\"StringEquals\": { \"aws:ResourceTag/tenant\": \"${aws:PrincipalTag/tenant}\" }, s3:ExistingObjectTag/tenant, s3:prefix, or dynamodb:LeadingKeys with ForAllValues: and a Null check), or by {{tenant}} in the Resource";

    public sealed record Result(bool Tied, bool UsesPrincipalTag, IReadOnlyList<(string Path, string Message)> NearMisses);

    public static Result Of(JsonElement statement, string path, string tenantId, IReadOnlyList<SampledText?> resources)
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
                // Only a comparison with the tenant is meant as a tie; any other condition is the tenant's own business.
                var ignoreCase = parsed.Base == "StringEqualsIgnoreCase";
                if (Values(key.Value) is not { } values || values.All(v => TenantTie.Of(v, ignoreCase) == Tie.Absent))
                {
                    continue;
                }

                var at = $"{path}.Condition.{op.Name}.{key.Name}";
                if (ConditionKeys.WhyNoTie(key.Name) is { } why)
                {
                    nearMisses.Add((at, $"{why}: {HowToTie}"));
                }
                else if (values.Select(v => TenantTie.Of(v, ignoreCase, ConditionKeys.IsPrefix(key.Name))).FirstOrDefault(t => t != Tie.Tied) is var loose && loose != Tie.Tied)
                {
                    nearMisses.Add((at, loose == Tie.Unfenced && ConditionKeys.IsPrefix(key.Name) && values.All(v => TenantTie.Of(v) == Tie.Tied)
                        ? $"does not tie the statement to the tenant: s3:prefix is the start of the keys a request lists, so \"{tenantId}\" also lists tenant \"{tenantId}-2\"'s keys: end the tenant with a / (\"{{{{tenant}}}}/\" or \"{{{{tenant}}}}/*\")"
                        : TenantTie.Explain(loose, tenantId)));
                }
                else if ((Loophole(parsed, key.Name, condition) ?? Unnamed(key.Name, resources)) is { } problem)
                {
                    nearMisses.Add((at, problem));
                }
                else
                {
                    return new Result(true, values.Any(v => v.UsesPrincipalTag), nearMisses);
                }
            }
        }

        return new Result(false, false, nearMisses);
    }

    /// <summary>The string values that String and Arn conditions compare keys to, each with its path.</summary>
    public static IEnumerable<(string Path, SampledText? Sampled)> ComparedValues(JsonElement statement, string path)
    {
        if (!statement.TryGetProperty("Condition", out var condition) || condition.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var op in condition.EnumerateObject())
        {
            if (ConditionLint.Parse(op.Name) is not { } parsed || Array.IndexOf(Binding, parsed.Base) < 0 || op.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var key in op.Value.EnumerateObject())
            {
                foreach (var value in Values(key.Value) ?? [])
                {
                    yield return ($"{path}.Condition.{op.Name}.{key.Name}", value);
                }
            }
        }
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

        return op.Qualifier.Length == 0 && key.Equals(ConditionKeys.LeadingKeys, StringComparison.OrdinalIgnoreCase)
            ? $"does not tie the statement to the tenant: dynamodb:LeadingKeys holds every partition key a request touches; use ForAllValues:{op.Base} with {nullFalse}"
            : null;
    }

    /// <summary>
    /// s3:prefix and dynamodb:LeadingKeys fence what a request names inside a bucket or table, not which one: they tie only
    /// when every Resource names its bucket or table, else the tenant's prefix is also read in other tenants' own buckets.
    /// </summary>
    private static string? Unnamed(string key, IReadOnlyList<SampledText?> resources)
    {
        if (!ConditionKeys.FencesInside(key) || resources.All(NamesContainer))
        {
            return null;
        }

        return $"does not tie the statement to the tenant: {key} fences what a request names inside a bucket or table, and a Resource with a wildcard or a variable in the bucket or table name reaches other tenants' own buckets and tables too: name them (arn:aws:s3:::acme-data, arn:aws:dynamodb:us-east-1:123456789012:table/items)";
    }

    /// <summary>Whether a Resource names its bucket (S3) or table (the resource part's first two segments) literally.</summary>
    private static bool NamesContainer(SampledText? resource)
    {
        if (resource is null)
        {
            return false;
        }

        if (TenantTie.Of(resource) == Tie.Tied)
        {
            return true;
        }

        var start = resource.ResourceStart();
        if (start == 0 || !TenantTie.LiteralFields(resource.Text[..start]))
        {
            return false;
        }

        var service = resource.Text.Split(':')[2];
        var segments = resource.Text[start..].Split('/');
        var name = string.Join('/', segments.Take(service == "s3" ? 1 : 2));
        return name.Length > 0 && !name.AsSpan().ContainsAny('*', '?') && !SampledText.HasVariable(name);
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
