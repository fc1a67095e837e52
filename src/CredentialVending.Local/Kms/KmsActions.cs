using System.Text.Json;
using System.Text.Json.Nodes;

namespace CredentialVending.Local.Kms;

/// <summary>The KMS actions the emulator serves, each reading its JSON request and answering its JSON result or an error.</summary>
internal sealed class KmsActions(KmsKeys keys, TimeProvider time)
{
    public static readonly string[] Served = ["CreateKey", "CreateAlias", "DescribeKey", "GetPublicKey", "Sign", "DisableKey", "EnableKey", "ScheduleKeyDeletion"];

    public (JsonObject? Result, KmsError? Error) Run(string action, JsonElement request) => action switch
    {
        "CreateKey" => CreateKey(request),
        "CreateAlias" => CreateAlias(request),
        "Sign" => WithKey(request, usable: true, Sign),
        "GetPublicKey" => WithKey(request, usable: true, GetPublicKey),
        "DescribeKey" => WithKey(request, usable: false, (key, _) => (new JsonObject { ["KeyMetadata"] = Metadata(key) }, null)),
        "DisableKey" => WithKey(request, usable: false, (key, _) => SetState(key, KmsKeyState.Disabled)),
        "EnableKey" => WithKey(request, usable: false, (key, _) => SetState(key, KmsKeyState.Enabled)),
        _ => WithKey(request, usable: false, ScheduleDeletion),
    };

    /// <summary>The metadata KMS answers for a key, in <c>CreateKey</c> and <c>DescribeKey</c>.</summary>
    public static JsonObject Metadata(KmsKey key)
    {
        var metadata = new JsonObject
        {
            ["AWSAccountId"] = key.Arn.Split(':')[4],
            ["KeyId"] = key.Id,
            ["Arn"] = key.Arn,
            ["CreationDate"] = key.Created.ToUnixTimeMilliseconds() / 1000.0,
            ["Enabled"] = key.State == KmsKeyState.Enabled,
            ["Description"] = key.Description,
            ["KeyUsage"] = key.KeyUsage,
            ["KeyState"] = key.State,
            ["Origin"] = "AWS_KMS",
            ["KeyManager"] = "CUSTOMER",
            ["CustomerMasterKeySpec"] = key.KeySpec,
            ["KeySpec"] = key.KeySpec,
            ["MultiRegion"] = false,
        };
        if (key.SigningAlgorithms.Count > 0)
        {
            metadata["SigningAlgorithms"] = Strings(key.SigningAlgorithms);
        }

        return metadata;
    }

    private static (JsonObject?, KmsError?) Sign(KmsKey key, JsonElement request)
    {
        var (message, invalid) = Blob(request, "Message", "message");
        if (invalid is not null)
        {
            return (null, invalid);
        }

        if (message!.Length is 0 or > KmsSigning.MaxMessageBytes)
        {
            return (null, KmsError.Validation(message.Length == 0
                ? "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1"
                : $"1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to {KmsSigning.MaxMessageBytes}"));
        }

        if (Text(request, "SigningAlgorithm") is not { } algorithm)
        {
            return (null, KmsError.Required("signingAlgorithm"));
        }

        var (signature, refused) = KmsSigning.Sign(key, message, Text(request, "MessageType") ?? "RAW", algorithm);
        return refused is not null
            ? (null, refused)
            : (new JsonObject { ["KeyId"] = key.Arn, ["Signature"] = Convert.ToBase64String(signature!), ["SigningAlgorithm"] = algorithm }, null);
    }

    private static (JsonObject?, KmsError?) GetPublicKey(KmsKey key, JsonElement request)
    {
        if (key.Rsa is null)
        {
            return (null, KmsError.UnsupportedOperation($"{key.Arn} key usage is {key.KeyUsage} which is not valid for GetPublicKey."));
        }

        var answer = new JsonObject
        {
            ["KeyId"] = key.Arn,
            ["PublicKey"] = Convert.ToBase64String(key.Rsa.ExportSubjectPublicKeyInfo()),
            ["CustomerMasterKeySpec"] = key.KeySpec,
            ["KeySpec"] = key.KeySpec,
            ["KeyUsage"] = key.KeyUsage,
        };
        if (key.SigningAlgorithms.Count > 0)
        {
            answer["SigningAlgorithms"] = Strings(key.SigningAlgorithms);
        }

        return (answer, null);
    }

    private static (JsonObject?, KmsError?) SetState(KmsKey key, string state)
    {
        if (key.State == KmsKeyState.PendingDeletion)
        {
            return (null, KmsError.InvalidState(key.Arn, key.State));
        }

        key.State = state;
        return (new JsonObject(), null);
    }

    private (JsonObject?, KmsError?) ScheduleDeletion(KmsKey key, JsonElement request)
    {
        var days = request.TryGetProperty("PendingWindowInDays", out var window) && window.TryGetInt32(out var d) ? d : 30;
        if (days is < 7 or > 30)
        {
            return (null, KmsError.Validation($"1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30"));
        }

        key.State = KmsKeyState.PendingDeletion;
        return (new JsonObject
        {
            ["KeyId"] = key.Arn,
            ["DeletionDate"] = time.GetUtcNow().AddDays(days).ToUnixTimeSeconds(),
            ["KeyState"] = key.State,
            ["PendingWindowInDays"] = days,
        }, null);
    }

    private (JsonObject?, KmsError?) CreateKey(JsonElement request)
    {
        var usage = Text(request, "KeyUsage") ?? "ENCRYPT_DECRYPT";
        var spec = Text(request, "KeySpec") ?? Text(request, "CustomerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
        if (!KmsKeys.KeySpecs.Contains(spec))
        {
            return (null, KmsError.NotInEnum("keySpec", spec, KmsKeys.KeySpecs));
        }

        if (usage is not ("SIGN_VERIFY" or "ENCRYPT_DECRYPT") || (spec == "SYMMETRIC_DEFAULT" && usage != "ENCRYPT_DECRYPT"))
        {
            return (null, KmsError.Validation($"The operation failed because the KeyUsage value of the CMK is {usage}. To perform this operation, the KeyUsage value must be compatible with the KeySpec {spec}."));
        }

        var key = keys.Create(spec, usage, Text(request, "Description") ?? string.Empty, time.GetUtcNow());
        return (new JsonObject { ["KeyMetadata"] = Metadata(key) }, null);
    }

    private (JsonObject?, KmsError?) CreateAlias(JsonElement request)
    {
        if (Text(request, "AliasName") is not { } alias || !alias.StartsWith("alias/", StringComparison.Ordinal) || alias.StartsWith("alias/aws/", StringComparison.Ordinal))
        {
            return (null, KmsError.Validation("1 validation error detected: Value at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$"));
        }

        var (key, missing) = Text(request, "TargetKeyId") is { } target ? keys.Find(target) : (null, KmsError.Required("targetKeyId"));
        return key is null ? (null, missing) : (keys.Alias(alias, key) is { } taken ? (null, taken) : (new JsonObject(), null));
    }

    /// <summary>Finds the request's key; a key that must be usable is refused when disabled or pending deletion.</summary>
    private (JsonObject?, KmsError?) WithKey(JsonElement request, bool usable, Func<KmsKey, JsonElement, (JsonObject?, KmsError?)> action)
    {
        if (Text(request, "KeyId") is not { Length: > 0 } keyId)
        {
            return (null, KmsError.Required("keyId"));
        }

        var (key, missing) = keys.Find(keyId);
        if (key is null)
        {
            return (null, missing);
        }

        return (usable, key.State) switch
        {
            (true, KmsKeyState.Disabled) => (null, KmsError.Disabled(key.Arn)),
            (true, KmsKeyState.PendingDeletion) => (null, KmsError.InvalidState(key.Arn, key.State)),
            _ => action(key, request),
        };
    }

    private static string? Text(JsonElement request, string name) =>
        request.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static (byte[]? Bytes, KmsError? Error) Blob(JsonElement request, string name, string member)
    {
        if (Text(request, name) is not { } text)
        {
            return (null, KmsError.Required(member));
        }

        try
        {
            return (Convert.FromBase64String(text), null);
        }
        catch (FormatException)
        {
            return (null, KmsError.Serialization($"Unable to parse base64 value of '{name}'."));
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)v)];
}
