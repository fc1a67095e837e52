using System.Text;
using CredentialVending.Functions.Http;
using CredentialVending.Functions.Tests.Support;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.Functions.Tests.Http;

/// <summary>
/// The body reader takes a route's fields and reports every problem at once: one alone as the detail, several as the
/// detail and each in errors. The schema here is the preview's shape: a required object, a string array, a number.
/// </summary>
public sealed class BodyReaderTests
{
    private static readonly BodySchema Schema = new(
        [
            new("claims", BodyFieldType.Object, "claims must be an object.") { Missing = "The body must carry claims." },
            new("note", BodyFieldType.Text, "note must be a string."),
            new("scopes", BodyFieldType.TextArray, "scopes must be an array of scope names."),
            new("durationSeconds", BodyFieldType.WholeNumber, "durationSeconds must be a whole number of seconds."),
        ],
        "The body must be a JSON object.",
        name => $"Unknown field '{name}'.")
    {
        MaxBytes = 128,
    };

    [Theory]
    [InlineData("", "The body must be a JSON object.")]
    [InlineData("[]", "The body must be a JSON object.")]
    [InlineData("null", "The body must be a JSON object.")]
    [InlineData("{}", "The body must carry claims.")]
    [InlineData("""{"claims": []}""", "claims must be an object.")]
    [InlineData("""{"claims": {}, "note": 1}""", "note must be a string.")]
    [InlineData("""{"claims": {}, "scopes": ["a", 1]}""", "scopes must be an array of scope names.")]
    [InlineData("""{"claims": {}, "durationSeconds": 1.5}""", "durationSeconds must be a whole number of seconds.")]
    [InlineData("""{"claims": {}, "durationSeconds": 3000000000}""", "durationSeconds must be a whole number of seconds.")]
    [InlineData("""{"claims": {}, "extra": true}""", "Unknown field 'extra'.")]
    public void A_body_with_one_problem_is_answered_with_that_problem_alone(string body, string detail)
    {
        var read = BodyReader.Read(Context(body), Schema);

        Assert.True(read.IsRefused);
        Assert.Equal(("invalid_request", detail), (read.Refusal!.Code, read.Refusal.Detail));
        Assert.Null(read.Refusal.Errors);
    }

    [Theory]
    [InlineData("""{"scopes": "a", "durationSeconds": "900"}""", "scopes|scopes must be an array of scope names.", "durationSeconds|durationSeconds must be a whole number of seconds.", "claims|The body must carry claims.")]
    [InlineData("""{"x": 1, "claims": 2}""", "|Unknown field 'x'.", "claims|claims must be an object.")]
    [InlineData("""{"note": "  "}""", "claims|The body must carry claims.")]
    public void A_body_with_several_problems_is_answered_with_every_one_at_once(string body, params string[] problems)
    {
        var read = BodyReader.Read(Context(body), Schema);

        Assert.True(read.IsRefused);
        Assert.Equal(string.Join(' ', problems.Select(p => p.Split('|')[1])), read.Refusal!.Detail);
        if (problems.Length > 1)
        {
            Assert.Equal(problems, read.Refusal.Errors!.Select(e => $"{e.Path}|{e.Message}"));
        }
    }

    [Fact]
    public void A_body_over_the_schemas_limit_is_413_whatever_its_fields()
    {
        var read = BodyReader.Read(Context("{\"claims\": {\"sub\": \"" + new string('a', 128) + "\"}}"), Schema);

        Assert.Equal("payload_too_large", read.Refusal!.Code);
    }

    [Fact]
    public void A_body_that_is_no_json_is_refused_before_any_field_is_looked_at()
    {
        var read = BodyReader.Read(Context("{\"claims\": "), Schema);

        Assert.Equal("invalid_request", read.Refusal!.Code);
        Assert.StartsWith("The body is not valid JSON", read.Refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_body_answers_each_field_by_its_type_with_text_trimmed()
    {
        var read = BodyReader.Read(Context("""{"claims": {"sub": "alice"}, "note": " hi ", "scopes": ["a", "b"], "durationSeconds": 900}"""), Schema);

        Assert.False(read.IsRefused, read.Refusal?.Detail);
        var values = read.Value!;
        Assert.Equal("alice", values.Object("claims")!.Value.GetProperty("sub").GetString());
        Assert.Equal("hi", values.Text("note"));
        Assert.Equal(["a", "b"], values.TextArray("scopes"));
        Assert.Equal(900, values.WholeNumber("durationSeconds"));
    }

    [Fact]
    public void An_empty_body_reads_as_no_fields_when_the_schema_makes_the_body_optional()
    {
        var read = BodyReader.Read(Context(""), Schema with { Fields = [Schema.Fields[2]], Optional = true });

        Assert.False(read.IsRefused);
        Assert.Null(read.Value!.TextArray("scopes"));
    }

    private static RouteContext Context(string body) =>
        HostRun.ContextFor(new HttpApiRequest { Method = "POST", Path = "/thing", Body = Encoding.UTF8.GetBytes(body) });
}
