namespace CredentialVending.Functions.Http;

/// <summary>The body fields the credentials route and the admin preview share: <c>scopes</c> and <c>durationSeconds</c>.</summary>
public static class SessionFields
{
    public static BodyField Scopes { get; } = new("scopes", BodyFieldType.TextArray, "scopes must be an array of scope names.");

    public static BodyField DurationSeconds { get; } = new("durationSeconds", BodyFieldType.WholeNumber, "durationSeconds must be a whole number of seconds.");
}
