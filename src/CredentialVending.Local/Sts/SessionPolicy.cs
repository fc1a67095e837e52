using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace CredentialVending.Local.Sts;

/// <summary>Session policy grammar checks and the packed size STS reports as <c>PackedPolicySize</c>.</summary>
/// <remarks>
/// AWS does not publish its packing. Here the packed size is the DEFLATE size of the policy plus the tags,
/// as a percentage of <see cref="PackedBudgetBytes"/>: a session policy at STS's 2,048 character limit fits, while
/// 50 long random tags do not, which is how real STS behaves in practice.
/// </remarks>
internal static class SessionPolicy
{
    public const int PackedBudgetBytes = 2048;

    /// <summary>Null when the document is a policy IAM would parse; else STS's <c>MalformedPolicyDocument</c>.</summary>
    public static StsError? Check(string policy)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(policy);
        }
        catch (JsonException)
        {
            return StsError.MalformedPolicyDocument("Syntax errors in policy.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return StsError.MalformedPolicyDocument("Syntax errors in policy.");
            }

            if (!root.TryGetProperty("Version", out var version) || Str(version) is not ("2012-10-17" or "2008-10-17"))
            {
                return StsError.MalformedPolicyDocument("The policy must contain a valid version string");
            }

            if (!root.TryGetProperty("Statement", out var statement))
            {
                return StsError.MalformedPolicyDocument("Policy document must contain a Statement element.");
            }

            var statements = statement.ValueKind == JsonValueKind.Array ? statement.EnumerateArray().ToList() : [statement];
            foreach (var item in statements)
            {
                if (StatementProblem(item) is { } problem)
                {
                    return StsError.MalformedPolicyDocument(problem);
                }
            }
        }

        return null;
    }

    public static int PackedBytes(string? policy, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        if (policy is null && tags.Count == 0)
        {
            return 0;
        }

        var plain = (policy ?? string.Empty) + string.Concat(tags.Select(t => t.Key + "\u0000" + t.Value + "\u0000"));
        using var packed = new MemoryStream();
        using (var deflate = new DeflateStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(plain));
        }

        return (int)packed.Length;
    }

    public static int PercentOf(string? policy, IReadOnlyList<KeyValuePair<string, string>> tags) => PackedPercent(PackedBytes(policy, tags));

    /// <summary>An integer percentage: the SDK's parser throws on anything else.</summary>
    public static int PackedPercent(int packedBytes) => (int)Math.Ceiling(packedBytes * 100.0 / PackedBudgetBytes);

    private static string? Str(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    private static string? StatementProblem(JsonElement statement)
    {
        if (statement.ValueKind != JsonValueKind.Object)
        {
            return "Syntax errors in policy.";
        }

        if (!statement.TryGetProperty("Effect", out var effect) || Str(effect) is not ("Allow" or "Deny"))
        {
            return "Policy statement must contain a valid Effect (Allow or Deny).";
        }

        if (!statement.TryGetProperty("Action", out _) && !statement.TryGetProperty("NotAction", out _))
        {
            return "Policy statement must contain actions.";
        }

        if (!statement.TryGetProperty("Resource", out _) && !statement.TryGetProperty("NotResource", out _))
        {
            return "Policy statement must contain resources.";
        }

        return statement.TryGetProperty("Principal", out _) || statement.TryGetProperty("NotPrincipal", out _)
            ? "Policy document should not specify a principal."
            : null;
    }
}
