using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using CredentialVending.Common;

namespace CredentialVending.Revocation.Iam;

/// <summary>
/// The three IAM calls revocation needs, over IAM's Query API (form-encoded POST, <c>Version=2010-05-08</c>, XML
/// answers), since AWSSDK.IdentityManagement is not available to this build. Moving to that package is mechanical:
/// each method becomes one call of <c>AmazonIdentityManagementServiceClient</c> (<c>GetRolePolicyAsync</c> with
/// <c>WebUtility.UrlDecode</c> of its <c>PolicyDocument</c>, <c>PutRolePolicyAsync</c>, <c>DeleteRolePolicyAsync</c>),
/// <see cref="IamClientOptions"/> becomes its config (<c>ServiceURL</c>, <c>Timeout</c>, <c>RetryMode = Standard</c>),
/// <c>NoSuchEntityException</c> and the other <c>AmazonIdentityManagementServiceException</c>s map onto the same two
/// exceptions, and IamSigning, IamAnswer and IamRetry are deleted.
/// </summary>
public sealed class IamQueryClient : IRolePolicies
{
    private const string Version = "2010-05-08";
    private readonly HttpClient _http;
    private readonly AWSCredentials? _credentials;
    private readonly IamClientOptions _options;
    private readonly IamRetry _retry;
    private readonly TimeProvider _time;

    /// <param name="credentials">The function's own credentials; null for the SDK's default chain (Lambda's role).</param>
    public IamQueryClient(HttpClient http, AWSCredentials? credentials, IamClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);

        // The same rule as AWS_ENDPOINT_URL_IAM's, for a client built from options rather than the environment.
        if (!EndpointUrls.TryParse(options.Endpoint.ToString(), out _, out var problem))
        {
            throw new ArgumentException($"IAM endpoint {problem}.", nameof(options));
        }

        _http = http;
        _credentials = credentials;
        _options = options;
        _time = time;
        _retry = new IamRetry(options, time);
    }

    public async Task<string?> GetAsync(string roleName, string policyName, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("GetRolePolicy", [("RoleName", roleName), ("PolicyName", policyName)], "PolicyDocument", cancellationToken).ConfigureAwait(false);
        if (answer.ErrorCode == "NoSuchEntity")
        {
            return null;
        }

        ThrowIfRefused("GetRolePolicy", roleName, answer);

        // IAM answers the document URL-encoded (RFC 3986); '+' stays a plus, so not WebUtility.UrlDecode.
        return answer.Value is { } encoded
            ? Uri.UnescapeDataString(encoded)
            : throw IamRetry.Unavailable("IAM's GetRolePolicy answer held no PolicyDocument", null);
    }

    public async Task PutAsync(string roleName, string policyName, string document, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("PutRolePolicy", [("RoleName", roleName), ("PolicyName", policyName), ("PolicyDocument", document)], null, cancellationToken).ConfigureAwait(false);
        ThrowIfRefused("PutRolePolicy", roleName, answer);
    }

    public async Task DeleteAsync(string roleName, string policyName, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("DeleteRolePolicy", [("RoleName", roleName), ("PolicyName", policyName)], null, cancellationToken).ConfigureAwait(false);
        if (answer.ErrorCode != "NoSuchEntity")
        {
            ThrowIfRefused("DeleteRolePolicy", roleName, answer);
        }
    }

    private static void ThrowIfRefused(string action, string roleName, IamAnswer answer)
    {
        if (answer.ErrorCode is { } code)
        {
            // IAM's message names the role and the limit; it is capped so that no echo of a document could ride along.
            var said = answer.ErrorMessage is { Length: > 200 } text ? text[..200] + "..." : answer.ErrorMessage;
            throw new IamRefusedException(code, answer.Status, $"IAM refused {action} on role {roleName}: {code}: {said}");
        }
    }

    private async Task<IamAnswer> CallAsync(string action, (string Name, string Value)[] parameters, string? valueElement, CancellationToken cancellationToken)
    {
        var form = $"Action={action}&Version={Version}" + string.Concat(parameters.Select(p => $"&{p.Name}={Uri.EscapeDataString(p.Value)}"));
        var credentials = await ResolveCredentialsAsync().ConfigureAwait(false);
        return await _retry.RunAsync(action, async (attempt) =>
        {
            using var request = IamSigning.Sign(_options.Endpoint, form, credentials, _time.GetUtcNow());
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(attempt).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var answer = await IamAnswer.ReadAsync(body, valueElement, attempt).ConfigureAwait(false);
                return answer is null ? null : answer with { Status = (int)response.StatusCode };
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImmutableCredentials> ResolveCredentialsAsync()
    {
        try
        {
            var source = _credentials ?? await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync().ConfigureAwait(false);
            return await source.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            throw IamRetry.Unavailable("the function's own AWS credentials could not be resolved for IAM", e);
        }
    }
}
