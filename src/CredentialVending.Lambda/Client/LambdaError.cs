using System.Text.Json.Serialization;

namespace CredentialVending.Lambda.Client;

/// <summary>The error body the Runtime API takes on <c>/invocation/{id}/error</c> and <c>/init/error</c>.</summary>
public sealed record LambdaError(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace")] IReadOnlyList<string> StackTrace)
{
    public static LambdaError From(Exception exception) => new(
        exception.Message,
        exception is Bootstrap.LambdaConfigurationException ? Bootstrap.LambdaConfigurationException.ErrorType : exception.GetType().Name,
        (exception.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
