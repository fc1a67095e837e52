using System.Text.Json.Serialization;
using CredentialVending.Functions.Http;

namespace CredentialVending.Functions;

/// <summary>Every type the functions read or write, source-generated: no reflection under Native AOT.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(VendResponse))]
[JsonSerializable(typeof(CredentialProcessOutput))]
[JsonSerializable(typeof(ContainerCredentials))]
[JsonSerializable(typeof(LeaseView))]
[JsonSerializable(typeof(LeasePageView))]
[JsonSerializable(typeof(TenantPageView))]
[JsonSerializable(typeof(RevocationView))]
[JsonSerializable(typeof(RevocationPageView))]
public sealed partial class FunctionsJsonContext : JsonSerializerContext;
