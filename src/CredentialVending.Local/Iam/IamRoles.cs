using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Iam;

/// <summary>One role and its inline policies (name to document, as put).</summary>
internal sealed record IamRole(string Name, string Path, string RoleId, DateTimeOffset CreatedAt, string TrustPolicy)
{
    public Dictionary<string, string> Policies { get; } = new(StringComparer.Ordinal);
}

/// <summary>The account's roles and the actions on them, behind one lock (the emulator is small; IAM is not fast either).</summary>
internal sealed partial class IamRoles(IamEmulatorOptions options)
{
    /// <summary>IAM's quota on a role's inline policies together, counted without white space.</summary>
    public const int InlinePolicyLimit = 10240;

    private readonly Lock _gate = new();

    // IAM names are unique within the account regardless of case.
    private readonly Dictionary<string, IamRole> _roles = new(StringComparer.OrdinalIgnoreCase);

    public string? PolicyOf(string roleName, string policyName)
    {
        lock (_gate)
        {
            return _roles.TryGetValue(roleName, out var role) && role.Policies.TryGetValue(policyName, out var document) ? document : null;
        }
    }

    /// <summary>Creates the role unless it exists; true when it was created.</summary>
    public bool Ensure(string roleName, string trustPolicy = "{}", string path = "/")
    {
        lock (_gate)
        {
            if (_roles.ContainsKey(roleName))
            {
                return false;
            }

            var id = "AROA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17);
            _roles[roleName] = new IamRole(roleName, path, id, DateTimeOffset.UtcNow, trustPolicy);
            return true;
        }
    }

    public (IEnumerable<XElement?>? Result, StsError? Error) Run(string action, StsParameters p)
    {
        if (Names(p, out var roleName, out var policyName, needsPolicy: action.EndsWith("RolePolicy", StringComparison.Ordinal)) is { } invalid)
        {
            return (null, invalid);
        }

        lock (_gate)
        {
            if (action == "CreateRole")
            {
                return p["AssumeRolePolicyDocument"] is not { } trust ? (null, IamErrors.MissingParameter("AssumeRolePolicyDocument"))
                    : !Ensure(roleName, trust, p["Path"] ?? "/") ? (null, IamErrors.EntityAlreadyExists(roleName))
                    : ([RoleElement(_roles[roleName])], null);
            }

            if (!TryFind(roleName, out var role))
            {
                return (null, IamErrors.NoSuchRole(roleName));
            }

            return action switch
            {
                "GetRole" => ([RoleElement(role)], null),
                "ListRolePolicies" => ([
                    E("PolicyNames", role.Policies.Keys.Order(StringComparer.Ordinal).Select(n => E("member", n))),
                    E("IsTruncated", "false")], null),
                "GetRolePolicy" => role.Policies.TryGetValue(policyName, out var document)
                    ? ([E("RoleName", role.Name), E("PolicyName", policyName), E("PolicyDocument", Uri.EscapeDataString(document))], null)
                    : (null, IamErrors.NoSuchRolePolicy(policyName)),
                "DeleteRolePolicy" => role.Policies.Remove(policyName) ? (null, null) : (null, IamErrors.NoSuchRolePolicy(policyName)),
                _ => Put(role, policyName, p["PolicyDocument"]),
            };
        }
    }

    private (IEnumerable<XElement?>? Result, StsError? Error) Put(IamRole role, string policyName, string? document)
    {
        if (document is null)
        {
            return (null, IamErrors.MissingParameter("PolicyDocument"));
        }

        if (!PolicyCharacters().IsMatch(document))
        {
            return (null, IamErrors.Validation("The specified value for policyDocument is invalid. It must contain only printable ASCII characters."));
        }

        if (!IsPolicy(document))
        {
            return (null, IamErrors.MalformedPolicyDocument());
        }

        var total = role.Policies.Where(e => e.Key != policyName).Sum(e => Size(e.Value)) + Size(document);
        if (total > InlinePolicyLimit)
        {
            return (null, IamErrors.LimitExceeded(InlinePolicyLimit, role.Name));
        }

        role.Policies[policyName] = document;
        return (null, null);
    }

    // IAM's grammar in brief: a JSON object with a Statement (an object or a non-empty array of objects).
    private static bool IsPolicy(string document)
    {
        try
        {
            using var json = JsonDocument.Parse(document);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("Statement", out var statement)
                && (statement.ValueKind == JsonValueKind.Object
                    || (statement.ValueKind == JsonValueKind.Array && statement.GetArrayLength() > 0 && statement.EnumerateArray().All(s => s.ValueKind == JsonValueKind.Object)));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int Size(string document) => document.Count(c => !char.IsWhiteSpace(c));

    private bool TryFind(string roleName, out IamRole role)
    {
        if (options.EveryRoleExists)
        {
            Ensure(roleName);
        }

        return _roles.TryGetValue(roleName, out role!);
    }

    private static StsError? Names(StsParameters p, out string roleName, out string policyName, bool needsPolicy)
    {
        roleName = p["RoleName"] ?? string.Empty;
        policyName = p["PolicyName"] ?? string.Empty;
        return p["RoleName"] is null ? IamErrors.MissingParameter("RoleName")
            : !RoleNamePattern().IsMatch(roleName) ? IamErrors.Validation("The specified value for roleName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-")
            : !needsPolicy ? null
            : p["PolicyName"] is null ? IamErrors.MissingParameter("PolicyName")
            : !PolicyNamePattern().IsMatch(policyName) ? IamErrors.Validation("The specified value for policyName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-")
            : null;
    }

    private XElement RoleElement(IamRole role) => E("Role", new object[]
    {
        E("Path", role.Path),
        E("RoleName", role.Name),
        E("RoleId", role.RoleId),
        E("Arn", $"arn:aws:iam::{options.AccountId}:role{role.Path}{role.Name}"),
        E("CreateDate", role.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        E("AssumeRolePolicyDocument", Uri.EscapeDataString(role.TrustPolicy)),
        E("MaxSessionDuration", "3600"),
    });

    private static XElement E(string name, object? content) => new(IamEmulator.Ns + name, content);

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PolicyNamePattern();

    [GeneratedRegex("^[\u0009\u000A\u000D\u0020-\u00FF]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PolicyCharacters();
}
