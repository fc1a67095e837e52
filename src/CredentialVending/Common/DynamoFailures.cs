using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace CredentialVending.Common;

/// <summary>
/// Which DynamoDB failures are the dependency's, answered 503 <c>unavailable</c> with Retry-After: unreachable,
/// throttling, 5xx, an answer nobody can read, and a deployment that cannot reach its table (a table that does not
/// exist, credentials DynamoDB refuses). The last kind will not pass by itself, so it is logged for the operator; the
/// caller is told only to try again.
/// </summary>
public static class DynamoFailures
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    // DynamoDB's codes for "this deployment cannot use its table": misconfiguration, not a request's fault.
    private static readonly HashSet<string> DeploymentCodes = new(StringComparer.Ordinal)
    {
        "ResourceNotFoundException", "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
        "MissingAuthenticationTokenException", "IncompleteSignatureException", "ExpiredTokenException", "InvalidClientTokenId",
        "ServiceUnavailable", "ThrottlingException", "RequestLimitExceeded", "UnknownOperationException",
    };

    public static async Task<T> GuardAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new DependencyUnavailableException("DynamoDB is unreachable, throttling or misconfigured; try again shortly.", RetryAfter, e);
        }
    }

    /// <summary>True for a failure that is DynamoDB's (or the deployment's), not a refusal of this one request.</summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        ProvisionedThroughputExceededException or RequestLimitExceededException or ResourceNotFoundException => true,
        AmazonUnmarshallingException or JsonException => true,
        AmazonServiceException s when s.StatusCode >= HttpStatusCode.InternalServerError => true,
        AmazonServiceException s when DeploymentCodes.Contains(s.ErrorCode ?? string.Empty) => true,

        // An error answer without a code is no DynamoDB answer at all (a proxy's page, a cut body).
        AmazonServiceException s when string.IsNullOrEmpty(s.ErrorCode) => true,
        AmazonClientException => true,
        HttpRequestException or IOException or TimeoutException => true,
        TaskCanceledException => true,
        _ => false,
    };

    /// <summary>
    /// The exception's type and AWS error code, for a log line: never its message, which can quote a request's values
    /// (a key, an item) or a garbled answer's text.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> Describe(Exception? e)
    {
        var fields = new List<KeyValuePair<string, string?>>();
        for (var depth = 0; e is not null && depth < 3; depth++, e = e.InnerException)
        {
            var prefix = depth == 0 ? "cause" : $"cause{depth}";
            fields.Add(new(prefix + "Type", e.GetType().FullName));
            if (e is AmazonServiceException service)
            {
                fields.Add(new(prefix + "AwsErrorCode", AwsErrorCode(service)));
                fields.Add(new(prefix + "HttpStatus", ((int)service.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return fields;
    }

    // A code as AWS spells them; anything else (a garbled answer's text) is not repeated.
    private static string AwsErrorCode(AmazonServiceException e) =>
        e.ErrorCode is { Length: > 0 and <= 64 } code && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '#' or ':')
            ? code
            : "(none readable)";
}
