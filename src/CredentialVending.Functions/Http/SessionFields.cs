using System.Text.Json;
using CredentialVending.Common;

namespace CredentialVending.Functions.Http;

/// <summary>The body fields the credentials route and the admin preview share: <c>scopes</c> and <c>durationSeconds</c>.</summary>
public static class SessionFields
{
    /// <summary>
    /// Reads <paramref name="property"/> when it is one of the shared fields (answers true), setting
    /// <paramref name="wrong"/> when its value is not of the right type; answers false for any other field.
    /// </summary>
    public static bool TryRead(JsonProperty property, ref IReadOnlyList<string>? scopes, ref int? duration, out Refusal? wrong)
    {
        wrong = null;
        var value = property.Value;
        switch (property.Name)
        {
            case "scopes" when value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String):
                scopes = [.. scopes ?? [], .. value.EnumerateArray().Select(v => v.GetString()!)];
                return true;
            case "scopes":
                wrong = Refusal.InvalidRequest("scopes must be an array of scope names.");
                return true;
            case "durationSeconds" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var seconds):
                duration = seconds;
                return true;
            case "durationSeconds":
                wrong = Refusal.InvalidRequest("durationSeconds must be a whole number of seconds.");
                return true;
            default:
                return false;
        }
    }
}
