namespace CredentialVending.Functions.Http;

/// <summary>Matches a method and a raw path against a function's routes, as API Gateway matches route keys.</summary>
public sealed class RouteMatcher
{
    private readonly IReadOnlyList<Route> _routes;

    public RouteMatcher(IReadOnlyList<Route> routes) => _routes = routes;

    public enum Kind
    {
        Found,
        NotFound,
        MethodNotAllowed,
    }

    public (Kind Kind, Route? Route, IReadOnlyDictionary<string, string> Parameters) Match(string method, string path)
    {
        var pathMatched = false;
        foreach (var route in _routes)
        {
            if (TryMatch(route.Path, path, out var parameters))
            {
                if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
                {
                    return (Kind.Found, route, parameters);
                }

                pathMatched = true;
            }
        }

        return (pathMatched ? Kind.MethodNotAllowed : Kind.NotFound, null, new Dictionary<string, string>());
    }

    /// <summary>A template's <c>{name}</c> segment matches one non-empty path segment, URL-decoded.</summary>
    public static bool TryMatch(string template, string path, out Dictionary<string, string> parameters)
    {
        parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var expected = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var actual = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (expected.Length != actual.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].StartsWith('{') && expected[i].EndsWith('}'))
            {
                parameters[expected[i][1..^1]] = Uri.UnescapeDataString(actual[i]);
            }
            else if (!string.Equals(expected[i], actual[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
