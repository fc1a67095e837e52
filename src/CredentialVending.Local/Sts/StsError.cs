namespace CredentialVending.Local.Sts;

/// <summary>An STS error answer: HTTP status, <c>Sender</c> or <c>Receiver</c>, code and message, as STS spells them.</summary>
internal sealed record StsError(int Status, string Type, string Code, string Message)
{
    private const string Sender = "Sender";
    private const string Receiver = "Receiver";

    public static StsError Validation(string message) => new(400, Sender, "ValidationError", message);

    public static StsError InvalidAction(string action, string version) =>
        new(400, Sender, "InvalidAction", $"Could not find operation {action} for version {version}");

    public static StsError InvalidParameterValue(string message) => new(400, Sender, "InvalidParameterValue", message);

    public static StsError MissingAuthenticationToken() => new(403, Sender, "MissingAuthenticationToken", "Request is missing Authentication Token");

    public static StsError IncompleteSignature(string message) => new(400, Sender, "IncompleteSignature", message);

    public static StsError SignatureDoesNotMatch(string message) => new(403, Sender, "SignatureDoesNotMatch", message);

    public static StsError SignatureDoesNotMatch() => SignatureDoesNotMatch(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

    public static StsError InvalidClientTokenId() => new(403, Sender, "InvalidClientTokenId", "The security token included in the request is invalid.");

    public static StsError ExpiredToken() => new(403, Sender, "ExpiredToken", "The security token included in the request is expired");

    public static StsError AccessDenied(string message) => new(403, Sender, "AccessDenied", message);

    public static StsError NotAuthorized(string callerArn, string action, string? resource) =>
        AccessDenied($"User: {callerArn} is not authorized to perform: sts:{action} on resource: {resource ?? "*"}");

    public static StsError MalformedPolicyDocument(string message) => new(400, Sender, "MalformedPolicyDocument", message);

    public static StsError PackedPolicyTooLarge(string message) => new(400, Sender, "PackedPolicyTooLarge", message);

    public static StsError InvalidIdentityToken(string message) => new(400, Sender, "InvalidIdentityToken", message);

    public static StsError ExpiredTokenException(string message) => new(400, Sender, "ExpiredTokenException", message);

    public static StsError IdpCommunicationError(string message) => new(400, Sender, "IDPCommunicationError", message);

    public static StsError InvalidAuthorizationMessage() =>
        new(400, Sender, "InvalidAuthorizationMessageException", "The message is not a valid encoded authorization message.");

    public static StsError Throttling() => new(400, Sender, "Throttling", "Rate exceeded");

    public static StsError InternalFailure() => new(500, Receiver, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.");

    public static StsError ServiceUnavailable() => new(503, Receiver, "ServiceUnavailable", "Service is unable to handle request.");

    /// <summary>A code no SDK or service maps, with a message that must never reach a log line verbatim.</summary>
    public static StsError Unmapped() => new(400, Sender, "UnheardOfException", StsFault.UnmappedMessage);

    public static StsError RegionDisabled(string accountId) => new(403, Sender, "RegionDisabledException",
        $"STS is not activated in this region for account:{accountId}. Your account administrator can activate STS in this region using the IAM Console.");
}
