namespace CredentialVending.Local.Kms;

/// <summary>
/// A KMS error answer in the JSON 1.1 protocol's shape: <c>{"__type": code, "message": ...}</c> with the status KMS
/// gives (400 for the caller's mistakes, throttling and access denied alike; 500 and 503 for KMS's own failures).
/// </summary>
internal sealed record KmsError(int Status, string Code, string Message)
{
    public static KmsError NotFound(string message) => new(400, "NotFoundException", message);

    public static KmsError KeyNotFound(string keyArn) => NotFound($"Key '{keyArn}' does not exist");

    public static KmsError AliasNotFound(string aliasArn) => NotFound($"Alias {aliasArn} is not found.");

    public static KmsError InvalidKeyId(string keyId) => NotFound($"Invalid keyId '{keyId}'");

    public static KmsError Disabled(string keyArn) => new(400, "DisabledException", $"{keyArn} is disabled.");

    public static KmsError InvalidState(string keyArn, string state) =>
        new(400, "KMSInvalidStateException", $"{keyArn} is {(state == KmsKeyState.PendingDeletion ? "pending deletion" : state)}.");

    public static KmsError InvalidKeyUsage(string message) => new(400, "InvalidKeyUsageException", message);

    public static KmsError UnsupportedOperation(string message) => new(400, "UnsupportedOperationException", message);

    public static KmsError Validation(string message) => new(400, "ValidationException", message);

    public static KmsError Required(string member) =>
        Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    public static KmsError NotInEnum(string member, string value, IEnumerable<string> allowed) =>
        Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");

    public static KmsError AlreadyExists(string message) => new(400, "AlreadyExistsException", message);

    public static KmsError AccessDenied(string message) => new(400, "AccessDeniedException", message);

    public static KmsError Throttling() => new(400, "ThrottlingException", "Rate exceeded");

    public static KmsError Internal() => new(500, "KMSInternalException", "The request processing has failed because of an unknown error, exception or failure.");

    public static KmsError DependencyTimeout() => new(503, "DependencyTimeoutException", "The system timed out while trying to fulfill the request.");

    public static KmsError UnknownOperation() => new(400, "UnknownOperationException", string.Empty);

    public static KmsError Serialization(string message) => new(400, "SerializationException", message);

    // The JSON protocols name the signature failures without STS's "Exception"-less codes.
    public static KmsError FromSignature(Sts.StsError error) => error.Code switch
    {
        "MissingAuthenticationToken" => new(400, "MissingAuthenticationTokenException", error.Message),
        "InvalidClientTokenId" => new(400, "UnrecognizedClientException", error.Message),
        "IncompleteSignature" => new(400, "IncompleteSignatureException", error.Message),
        _ => new(400, "InvalidSignatureException", error.Message),
    };
}
