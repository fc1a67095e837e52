using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace CredentialVending.Common;

/// <summary>Which DynamoDB failures mean "try again later" (503 with Retry-After) rather than a bug or a misconfiguration.</summary>
public static class DynamoFailures
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    public static async Task<T> GuardAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw new DependencyUnavailableException("DynamoDB is unreachable or throttling; try again shortly.", RetryAfter, e);
        }
    }

    public static bool IsTransient(Exception e) => e switch
    {
        ProvisionedThroughputExceededException or RequestLimitExceededException => true,
        AmazonServiceException s when s.StatusCode >= HttpStatusCode.InternalServerError => true,
        AmazonServiceException s when s.ErrorCode is "ThrottlingException" or "ServiceUnavailable" => true,
        AmazonClientException { InnerException: HttpRequestException or IOException or TaskCanceledException } => true,
        HttpRequestException or IOException or TimeoutException => true,
        TaskCanceledException => true,
        _ => false,
    };
}
