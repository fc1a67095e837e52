namespace CredentialVending.Local.ApiGateway;

/// <summary>One route of the HTTP API: <c>POST /v1/tenants/{tenantId}/credentials</c> to the function that serves it.</summary>
/// <param name="Method">GET, POST, ... or ANY.</param>
/// <param name="Path">The template's path, with <c>{name}</c> parameters (and <c>{name+}</c> for a greedy last one).</param>
/// <param name="Function">The function the route invokes.</param>
/// <param name="IamAuthorizer">Whether the route says <c>Auth: Authorizer: AWS_IAM</c>.</param>
public sealed record HttpApiRoute(string Method, string Path, TemplateFunction Function, bool IamAuthorizer)
{
    private string[] Segments => Path.Split('/');

    /// <summary>What API Gateway puts in <c>routeKey</c>.</summary>
    public string RouteKey => $"{Method} {Path}";

    /// <summary>How specific the route is: API Gateway prefers the route with more literal segments.</summary>
    public int LiteralSegments => Segments.Count(s => !s.StartsWith('{'));

    /// <summary>Matches a raw (percent-encoded) request path; parameter values come back decoded.</summary>
    public bool TryMatch(string rawPath, out IReadOnlyDictionary<string, string> pathParameters)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        pathParameters = found;
        var pattern = Segments;
        var actual = rawPath.Split('/');
        for (var i = 0; i < pattern.Length; i++)
        {
            var segment = pattern[i];
            if (segment.StartsWith('{') && segment.EndsWith("+}", StringComparison.Ordinal) && i == pattern.Length - 1)
            {
                var rest = string.Join('/', actual.Skip(i));
                found[segment[1..^2]] = Uri.UnescapeDataString(rest);
                return rest.Length > 0;
            }

            if (i >= actual.Length)
            {
                return false;
            }

            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                // A parameter is one whole, non-empty segment; an encoded slash stays inside it.
                if (actual[i].Length == 0)
                {
                    return false;
                }

                found[segment[1..^1]] = Uri.UnescapeDataString(actual[i]);
            }
            else if (!string.Equals(segment, actual[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return actual.Length == pattern.Length;
    }
}
