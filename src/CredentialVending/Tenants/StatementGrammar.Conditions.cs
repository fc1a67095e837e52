using System.Text.Json;
using CredentialVending.Scoping;
using CredentialVending.Tenants.Lint;

namespace CredentialVending.Tenants;

internal static partial class StatementGrammar
{
    /// <summary>IAM's grammar: { operator: { key: value or [values] } }, values strings, numbers or booleans.</summary>
    private static void CheckCondition(JsonElement condition, string path, bool strict, Findings findings)
    {
        if (condition.ValueKind != JsonValueKind.Object || !condition.EnumerateObject().Any())
        {
            findings.Add(path, "must be an object of condition operators");
            return;
        }

        foreach (var op in condition.EnumerateObject())
        {
            var opPath = $"{path}.{op.Name}";
            var opProblem = strict
                ? ConditionLint.OperatorProblem(op.Name)
                : TenantPatterns.ConditionOperator().IsMatch(op.Name) ? null : "is not a condition operator";
            if (opProblem is not null)
            {
                findings.Add(opPath, opProblem);
            }

            if (op.Value.ValueKind != JsonValueKind.Object || !op.Value.EnumerateObject().Any())
            {
                findings.Add(opPath, "must be an object of condition keys to values");
                continue;
            }

            foreach (var key in op.Value.EnumerateObject())
            {
                var keyPath = $"{opPath}.{key.Name}";
                if (key.Name.Length == 0 || key.Name.Contains("{{", StringComparison.Ordinal))
                {
                    findings.Add(keyPath, "is not a condition key: template variables stand only in values");
                }
                else if (strict && ConditionLint.KeyProblem(key.Name) is { } keyProblem)
                {
                    findings.Add(keyPath, keyProblem);
                }

                CheckConditionValue(key.Value, keyPath, strict ? ConditionLint.Parse(op.Name)?.Base : null, findings);
            }
        }
    }

    private static void CheckConditionValue(JsonElement value, string path, string? strictOperator, Findings findings)
    {
        var items = value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : new[] { value };
        if (items.Length == 0)
        {
            findings.Add(path, "must hold at least one value");
        }

        for (var i = 0; i < items.Length; i++)
        {
            var at = value.ValueKind == JsonValueKind.Array ? $"{path}[{i}]" : path;
            switch (items[i].ValueKind)
            {
                case JsonValueKind.String:
                    if (Template.Check(items[i].GetString()!) is { } problem)
                    {
                        findings.Add(at, problem);
                    }

                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    break;
                default:
                    findings.Add(at, "must be a string, a number, a boolean or an array of them");
                    continue;
            }

            if (strictOperator is not null && ConditionLint.ValueProblem(strictOperator, items[i]) is { } valueProblem)
            {
                findings.Add(at, valueProblem);
            }
        }
    }
}
