using System.Text.Json;

namespace CredentialVending.Lambda.Tests.Fakes;

/// <summary>Reads what a <c>JsonLineLogger</c> wrote: every line must be one JSON object.</summary>
internal static class LogLines
{
    public static IReadOnlyList<JsonElement> Parse(StringWriter output)
    {
        var text = output.ToString();
        if (text.Length > 0)
        {
            Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        }

        return text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Select(line =>
            {
                using var document = JsonDocument.Parse(line);
                Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                return document.RootElement.Clone();
            })
            .ToList();
    }

    public static string? Text(this JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? value.GetString() : null;
}
