using System.Text.Json;
using CredentialVending.Scoping;

namespace CredentialVending.Tenants;

public static partial class TenantDocumentReader
{
    public const int MaxSessionTags = 50;
    public const int MaxTagValueLength = 256;

    private static readonly string[] RuleFields = ["claim", "anyOf"];
    private static readonly string[] PermissionFields = ["decode", "leases", "revoke"];
    private static readonly string[] LimitFields = ["requestsPerMinute"];

    private static List<string>? ReadDefaultScopes(JsonElement root, Findings findings)
    {
        if (findings.Strings(root, "defaultScopes", string.Empty, required: false) is not { } names)
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!seen.Add(names[i]))
            {
                findings.Add($"defaultScopes[{i}]", "names a scope already named");
            }
            else if (Findings.TryGet(root, "scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Object && !scopes.TryGetProperty(names[i], out _))
            {
                findings.Add($"defaultScopes[{i}]", "names no scope of this document");
            }
        }

        return [.. names];
    }

    private static List<KeyValuePair<string, string>> ReadSessionTags(JsonElement root, IssuanceMode? mode, Findings findings)
    {
        var tags = new List<KeyValuePair<string, string>>();
        if (!Findings.TryGet(root, "sessionTags", out var value))
        {
            return tags;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            findings.Add("sessionTags", "must be an object of tag keys to value templates");
            return tags;
        }

        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in value.EnumerateObject())
        {
            var path = $"sessionTags.{tag.Name}";
            if (!TenantPatterns.TagKey().IsMatch(tag.Name))
            {
                findings.Add(path, "is not a tag key: 1 to 128 letters, digits, spaces and _ . : / = + - @");
            }
            else if (tag.Name.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(path, "uses the aws: prefix, which AWS reserves");
            }
            else if (!keys.Add(tag.Name))
            {
                findings.Add(path, "differs from another tag key only in case, and STS compares tag keys without case");
            }

            if (tag.Value.ValueKind != JsonValueKind.String)
            {
                findings.Add(path, "must be a string");
                continue;
            }

            var template = tag.Value.GetString()!;
            if (Template.Check(template) is { } problem)
            {
                findings.Add(path, problem);
                continue;
            }

            if (!SessionRenderer.TagValue().IsMatch(Template.LiteralParts(template)))
            {
                findings.Add(path, "has characters STS refuses in a tag value: only letters, digits, spaces and _ . : / = + - @");
            }

            // Bounded here, at every variable's longest, so a request can never make a tag STS refuses by length.
            var longest = Template.LiteralParts(template).Length + (Template.Variables(template).Count * Template.MaxValueLength);
            if (longest > MaxTagValueLength)
            {
                findings.Add(path, $"can render to {longest} characters (every variable at {Template.MaxValueLength}); STS allows {MaxTagValueLength}");
            }

            tags.Add(new(tag.Name, template));
        }

        if (tags.Count > MaxSessionTags)
        {
            findings.Add("sessionTags", $"holds {tags.Count} tags; STS takes at most {MaxSessionTags}");
        }

        if (mode == IssuanceMode.WebIdentity && value.EnumerateObject().Any())
        {
            findings.Add("sessionTags", "has no effect in webIdentity mode: AssumeRoleWithWebIdentity takes its session tags from the token, so STS would ignore these");
        }
        else if (mode == IssuanceMode.Saml && value.EnumerateObject().Any())
        {
            findings.Add("sessionTags", "has no effect in saml mode: AssumeRoleWithSAML takes its session tags from the assertion, so STS would ignore these");
        }

        return tags;
    }

    private static ClaimRule? ReadRule(JsonElement parent, string name, string path, Findings findings)
    {
        if (findings.Object(parent, name, path, required: false, RuleFields) is not { } rule)
        {
            return null;
        }

        var at = Findings.Join(path, name);
        var claim = findings.String(rule, "claim", at, required: true, maxLength: 256);
        var anyOf = findings.Strings(rule, "anyOf", at, required: true);
        return claim is null || anyOf is null ? null : new ClaimRule(claim, anyOf);
    }

    private static Permissions ReadPermissions(JsonElement root, Findings findings)
    {
        if (findings.Object(root, "permissions", string.Empty, required: false, PermissionFields) is not { } permissions)
        {
            return new Permissions();
        }

        return new Permissions
        {
            Decode = ReadRule(permissions, "decode", "permissions", findings),
            Leases = ReadRule(permissions, "leases", "permissions", findings),
            Revoke = ReadRule(permissions, "revoke", "permissions", findings),
        };
    }

    private static TenantLimits? ReadLimits(JsonElement root, Findings findings)
    {
        if (findings.Object(root, "limits", string.Empty, required: false, LimitFields) is not { } limits)
        {
            return null;
        }

        var perMinute = findings.Integer(limits, "requestsPerMinute", "limits");
        if (perMinute is <= 0)
        {
            findings.Add("limits.requestsPerMinute", "must be a positive whole number");
        }

        return new TenantLimits(perMinute);
    }
}
