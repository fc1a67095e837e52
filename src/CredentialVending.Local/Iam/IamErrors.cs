using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Iam;

/// <summary>IAM's error answers, with the status, code and message IAM gives (the shape is STS's: one Query protocol).</summary>
internal static class IamErrors
{
    private const string Sender = "Sender";

    public static StsError NoSuchRole(string roleName) => new(404, Sender, "NoSuchEntity", $"The role with name {roleName} cannot be found.");

    public static StsError NoSuchRolePolicy(string policyName) =>
        new(404, Sender, "NoSuchEntity", $"The role policy with name {policyName} cannot be found.");

    public static StsError EntityAlreadyExists(string roleName) => new(409, Sender, "EntityAlreadyExists", $"Role with name {roleName} already exists.");

    public static StsError MalformedPolicyDocument() => new(400, Sender, "MalformedPolicyDocument", "Syntax errors in policy.");

    public static StsError LimitExceeded(int limit, string roleName) =>
        new(409, Sender, "LimitExceeded", $"Maximum policy size of {limit} bytes exceeded for role {roleName}");

    public static StsError Validation(string message) => new(400, Sender, "ValidationError", message);

    public static StsError MissingParameter(string name) =>
        Validation($"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");

    public static StsError ServiceFailure() => new(500, "Receiver", "ServiceFailure", "Request processing has failed due to an unknown error, exception or failure.");
}
