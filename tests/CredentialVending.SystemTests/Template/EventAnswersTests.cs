using System.Text.Json;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Template;

/// <summary>
/// Every file in events/, fed as it is to the real bootstrap of the function events/expected.json names, in an
/// empty local cloud of its own, gets the answer expected.json documents for it.
/// </summary>
public sealed class EventAnswersTests(LocalCloud cloud) : IClassFixture<LocalCloud>
{
    /// <summary>The put comes last, so that the events documented for an empty cloud find it empty.</summary>
    public static TheoryData<string> Events()
    {
        var names = Expected().EnumerateObject().Select(p => p.Name).ToList();
        names.Sort((a, b) => (a == "admin-put-tenant.json").CompareTo(b == "admin-put-tenant.json"));
        return [.. names];
    }

    [Fact]
    public void Every_event_file_has_a_documented_answer()
    {
        var files = Directory.GetFiles(RepositoryFiles.PathOf("events"), "*.json").Select(Path.GetFileName).Where(n => n != "expected.json");

        Assert.Equal(files.Order(), Expected().EnumerateObject().Select(p => p.Name).Order());
    }

    // One test case for all rows, run in Events()'s order: xUnit orders pre-enumerated rows by their ids' hash, and the
    // PUT must come after the events whose answer is the one before any tenant exists.
    [Theory]
    [MemberData(nameof(Events), DisableDiscoveryEnumeration = true)]
    public async Task The_event_gets_the_documented_answer(string name)
    {
        var expected = Expected().GetProperty(name);

        var answer = await cloud.InvokeAsync(expected.GetProperty("function").GetString()!, File.ReadAllBytes(RepositoryFiles.PathOf("events", name)));

        Assert.True(expected.GetProperty("status").GetInt32() == answer.Status, $"{name}: {answer}");
        var code = expected.GetProperty("code");
        Assert.Equal(code.ValueKind == JsonValueKind.Null ? null : code.GetString(), answer.Code);
    }

    private static JsonElement Expected() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("events", "expected.json"))).RootElement.GetProperty("events");
}
