using System.Collections.Concurrent;
using System.Text.Json;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// Every secret the hostile tests handled (credentials they were given, tokens they sent) and every error answer they
/// received, kept for the run so that <see cref="SecretScan"/> can look for them wherever they must never be.
/// </summary>
public static class Witness
{
    // Shorter strings ("Bearer", "a.b.c") are the hostile tests' own junk, not secrets, and would match by chance.
    private const int ShortestSecret = 32;

    private static readonly ConcurrentDictionary<string, string> SecretsSeen = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<string> ErrorsSeen = new();

    /// <summary>Each secret, with what it is ("a caller's JWT", "a secret access key"...).</summary>
    public static IReadOnlyDictionary<string, string> Secrets => SecretsSeen;

    /// <summary>Each error answer's body and headers, as the caller received them.</summary>
    public static IReadOnlyCollection<string> ErrorAnswers => ErrorsSeen;

    /// <summary>Sends a request through <see cref="LocalCloud.SendAsync"/>, remembering the token sent and what came back.</summary>
    public static async Task<Answer> SendSeenAsync(this LocalCloud cloud, HttpApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        ArgumentNullException.ThrowIfNull(request);
        Authorization(request.Headers.FirstOrDefault(h => h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase)).Value);
        var answer = await cloud.SendAsync(request);
        Saw(answer.Status, answer.Body, answer.Headers.Select(h => $"{h.Key}: {h.Value}"));
        return answer;
    }

    /// <summary>Remembers the token of an <c>Authorization</c> header value (whole, and its signature part).</summary>
    public static void Authorization(string? header)
    {
        var token = header is null ? null : header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
        if (token is null || token.Length < ShortestSecret)
        {
            return;
        }

        Add(token, "a caller's JWT");
        var signature = token[(token.LastIndexOf('.') + 1)..];
        Add(signature, "a caller's JWT signature");
    }

    /// <summary>Remembers an answer: its credentials when it gave some, its body and headers when it refused.</summary>
    public static void Saw(int status, string body, IEnumerable<string> headers)
    {
        if (status >= 400)
        {
            ErrorsSeen.Enqueue(body + "\n" + string.Join('\n', headers));
            return;
        }

        if (status != 200 || body.Length == 0 || body[0] != '{')
        {
            return;
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var credentials = root.TryGetProperty("credentials", out var inner) ? inner : root;
        foreach (var name in new[] { "secretAccessKey", "SecretAccessKey" })
        {
            if (credentials.TryGetProperty(name, out var secret))
            {
                Add(secret.GetString(), "a secret access key");
            }
        }

        foreach (var name in new[] { "sessionToken", "SessionToken", "Token" })
        {
            if (credentials.TryGetProperty(name, out var token))
            {
                Add(token.GetString(), "a session token");
            }
        }
    }

    public static void Add(string? secret, string what)
    {
        if (secret is { Length: >= ShortestSecret })
        {
            SecretsSeen.TryAdd(secret, what);
        }
    }
}
