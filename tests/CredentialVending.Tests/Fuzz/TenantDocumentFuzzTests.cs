using System.Text;
using System.Text.Json.Nodes;
using CredentialVending.Common;
using CredentialVending.Tenants;
using FsCheck;
using FsCheck.Fluent;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Fuzz;

/// <summary>
/// The tenant document reader behind <c>PUT /admin/tenants/{tenantId}</c>, under fuzzing: arbitrary bytes and docs/api.md's
/// example with a few values changed are read without throwing, and refused only as <c>invalid_tenant</c> or
/// <c>invalid_request</c>. CREDVEND_FUZZ_RUNS sets the cases.
/// </summary>
[Trait("Category", "Soak")]
public sealed class TenantDocumentFuzzTests
{
    private static readonly Gen<JsonNode?> Value = Gen.OneOf(
        ArbMap.Default.GeneratorFor<string>().Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Elements<JsonNode?>(
            null, JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(900), JsonValue.Create(43201), JsonValue.Create(long.MaxValue),
            JsonValue.Create(1e308), JsonValue.Create(true), JsonValue.Create("\ud800"), JsonValue.Create("{{claim:"), JsonValue.Create("*"),
            JsonValue.Create("arn:aws:iam::123456789012:role/x"), JsonValue.Create(new string('a', 5000)))
            .Select(v => v?.DeepClone()),
        Gen.Constant(0).Select(_ => (JsonNode?)new JsonArray()),
        Gen.Constant(0).Select(_ => (JsonNode?)new JsonObject()));

    [Fact]
    public async Task Arbitrary_bytes_are_refused_as_invalid_request_or_invalid_tenant_without_throwing()
    {
        var property = Prop.ForAll(Arb.From(ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null)), bytes => Refusable(bytes));

        await Task.Run(() => Check.One(FuzzRuns.Config(500), property));
    }

    [Fact]
    public async Task The_example_document_with_values_changed_is_read_without_throwing()
    {
        var change =
            from count in Gen.Choose(1, 4)
            from places in Gen.Choose(0, 10_000).ArrayOf(count)
            from values in Value.ArrayOf(count)
            from removals in ArbMap.Default.GeneratorFor<bool>().ArrayOf(count)
            select (Places: places, Values: values, Removals: removals);

        var property = Prop.ForAll(Arb.From(change), c =>
        {
            var root = JsonNode.Parse(Acme)!;
            for (var i = 0; i < c.Places.Length; i++)
            {
                Change(root, c.Places[i], c.Values[i], c.Removals[i]);
            }

            return Refusable(Encoding.UTF8.GetBytes(root.ToJsonString()));
        });

        await Task.Run(() => Check.One(FuzzRuns.Config(500), property));
    }

    private static bool Refusable(byte[] bytes)
    {
        var outcome = TenantDocumentReader.Read(bytes, "acme", allowInsecureLoopbackIssuers: false);
        return !outcome.IsRefused || outcome.Refusal!.Code is Codes.InvalidTenant or Codes.InvalidRequest;
    }

    private static void Change(JsonNode root, int place, JsonNode? value, bool remove)
    {
        var places = new List<(JsonNode Parent, string? Name, int Index)>();
        Walk(root, places);
        var (parent, name, index) = places[place % places.Count];
        switch (parent)
        {
            case JsonObject obj when remove:
                obj.Remove(name!);
                break;
            case JsonObject obj:
                obj[name!] = value?.DeepClone();
                break;
            case JsonArray array when remove:
                array.RemoveAt(index);
                break;
            case JsonArray array:
                array[index] = value?.DeepClone();
                break;
        }
    }

    private static void Walk(JsonNode? node, List<(JsonNode, string?, int)> places)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj.ToArray())
            {
                places.Add((obj, key, -1));
                Walk(child, places);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                places.Add((array, null, i));
                Walk(array[i], places);
            }
        }
    }
}
