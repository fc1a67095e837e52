using System.Text.Json;
using CredentialVending.Scoping;
using CredentialVending.Tenants.Lint;

namespace CredentialVending.Tenants;

public static partial class TenantDocumentReader
{
    public const int MaxScopes = 50;
    public const int MaxStatements = 20;

    private static readonly string[] ScopeFields = ["statements", "grantedTo", "shared"];

    private static List<Scope>? ReadScopes(JsonElement root, StatementLint? lint, Findings findings)
    {
        if (!Findings.TryGet(root, "scopes", out var scopes))
        {
            findings.Add("scopes", "is required");
            return null;
        }

        if (scopes.ValueKind != JsonValueKind.Object)
        {
            findings.Add("scopes", "must be an object of scope names to scopes");
            return null;
        }

        var before = findings.Count;
        var read = new List<Scope>();
        var sids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in scopes.EnumerateObject())
        {
            var path = $"scopes.{property.Name}";
            if (!TenantPatterns.ScopeName().IsMatch(property.Name))
            {
                findings.Add(path, "is not a valid scope name: 1 to 64 of A-Z a-z 0-9 : . _ -");
            }

            if (ReadScope(property.Name, property.Value, path, sids, lint, findings) is { } scope)
            {
                read.Add(scope);
            }
        }

        var count = scopes.EnumerateObject().Count();
        if (count is 0 or > MaxScopes)
        {
            findings.Add("scopes", $"must hold 1 to {MaxScopes} scopes, not {count}");
        }

        if (findings.Count > before)
        {
            return null;
        }

        // Any scopes may be asked for together, so the worst case is all of them, every variable at its longest.
        var together = PolicyWriter.WorstCaseLength(read);
        if (together > PolicyWriter.MaxPolicyLength)
        {
            var each = string.Join(", ", read.Select(s => $"{s.Name} ({PolicyWriter.WorstCaseLength([s])})"));
            findings.Add(
                "scopes",
                $"the scopes are too large together: {each} make a session policy of up to {together} characters (every variable at {Template.MaxValueLength}), and STS allows {PolicyWriter.MaxPolicyLength}");
        }

        return read;
    }

    private static Scope? ReadScope(string name, JsonElement value, string path, Dictionary<string, string> sids, StatementLint? lint, Findings findings)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            findings.Add(path, "must be an object");
            return null;
        }

        findings.UnknownFields(value, path, ScopeFields);
        var grantedTo = ReadRule(value, "grantedTo", path, findings);
        var shared = findings.Boolean(value, "shared", path) ?? false;
        var statementsPath = $"{path}.statements";
        if (!Findings.TryGet(value, "statements", out var statements))
        {
            findings.Add(statementsPath, "is required");
            return null;
        }

        if (statements.ValueKind != JsonValueKind.Array || statements.GetArrayLength() is 0 or > MaxStatements)
        {
            findings.Add(statementsPath, $"must be an array of 1 to {MaxStatements} statements");
            return null;
        }

        var index = 0;
        foreach (var statement in statements.EnumerateArray())
        {
            var at = $"{statementsPath}[{index++}]";
            StatementGrammar.Check(statement, at, sids, findings, strict: lint is not null);
            lint?.Statement(statement, at, shared, findings);
        }

        return new Scope { Name = name, Statements = [.. statements.EnumerateArray()], GrantedTo = grantedTo, Shared = shared };
    }
}
