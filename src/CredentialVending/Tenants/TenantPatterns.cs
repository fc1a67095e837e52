using System.Text.RegularExpressions;

namespace CredentialVending.Tenants;

/// <summary>
/// The patterns of docs/api.md and of STS's and IAM's API models. Every one ends in \z, not $: .NET's $ also matches
/// before a final newline.
/// </summary>
public static partial class TenantPatterns
{
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{1,62}\z", RegexOptions.CultureInvariant)]
    public static partial Regex TenantId();

    [GeneratedRegex(@"^[A-Za-z0-9:._-]{1,64}\z", RegexOptions.CultureInvariant)]
    public static partial Regex ScopeName();

    // IAM: a path is "/" or "/" + printable ASCII + "/", and a role name is 1-64 of [\w+=,.@-].
    [GeneratedRegex(@"^arn:aws:iam::[0-9]{12}:role/(?:[!-~]*/)?[A-Za-z0-9_+=,.@-]{1,64}\z", RegexOptions.CultureInvariant)]
    public static partial Regex RoleArn();

    // IAM: a SAML provider's name is 1-128 of [\w._-].
    [GeneratedRegex(@"^arn:aws:iam::[0-9]{12}:saml-provider/[A-Za-z0-9_.-]{1,128}\z", RegexOptions.CultureInvariant)]
    public static partial Regex SamlProviderArn();

    // STS's ExternalId: 2-1224 of [\w+=,.@:/-], \w being ASCII there.
    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@:/-]{2,1224}\z", RegexOptions.CultureInvariant)]
    public static partial Regex ExternalId();

    // IAM's tag key: 1-128 letters, digits, spaces and _ . : / = + - @.
    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}\z", RegexOptions.CultureInvariant)]
    public static partial Regex TagKey();

    // IAM accepts only alphanumeric statement ids in identity (and so session) policies.
    [GeneratedRegex(@"^[A-Za-z0-9]+\z", RegexOptions.CultureInvariant)]
    public static partial Regex Sid();

    // IAM's grammar: an operator name, optionally behind a set qualifier (IfExists is part of the name).
    [GeneratedRegex(@"^(?:ForAllValues:|ForAnyValue:)?[A-Za-z]+\z", RegexOptions.CultureInvariant)]
    public static partial Regex ConditionOperator();
}
