using System.Text;
using System.Text.Json;
using CredentialVending.Local.Lambda;

namespace CredentialVending.Bench.Harness;

/// <summary>A function's payload 2.0 answer, read far enough to tell a vend that succeeded from one that did not.</summary>
public sealed record VendAnswer(int Status, string Body)
{
    public static VendAnswer Read(InvocationResult result)
    {
        if (!result.Succeeded)
        {
            return new VendAnswer(0, $"{result.ErrorType}: {result.ErrorBody}");
        }

        using var document = JsonDocument.Parse(result.Response);
        var root = document.RootElement;
        var status = root.TryGetProperty("statusCode", out var code) && code.TryGetInt32(out var value) ? value : 0;
        var body = root.TryGetProperty("body", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : string.Empty;
        if (root.TryGetProperty("isBase64Encoded", out var encoded) && encoded.ValueKind == JsonValueKind.True)
        {
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        }

        return new VendAnswer(status, body);
    }

    /// <summary>200 with credentials in docs/api.md's json format: the only answer the benchmark counts.</summary>
    public bool IsCredentials
    {
        get
        {
            if (Status != 200)
            {
                return false;
            }

            using var document = JsonDocument.Parse(Body);
            return document.RootElement.TryGetProperty("credentials", out var credentials)
                && credentials.TryGetProperty("accessKeyId", out var key) && key.GetString()?.StartsWith("ASIA", StringComparison.Ordinal) == true
                && document.RootElement.TryGetProperty("leaseId", out _);
        }
    }

    /// <summary>Throws unless the answer is credentials: a benchmark of failures would measure nothing.</summary>
    public static void Require(InvocationResult result, string what)
    {
        var answer = Read(result);
        if (!answer.IsCredentials)
        {
            throw new InvalidOperationException($"{what}: expected 200 with credentials, got {answer.Status} {answer.Body}");
        }
    }
}
