using System.Globalization;

namespace CredentialVending.Common;

/// <summary>Times as AWS writes them in credentials and as the ledger stores them: UTC, whole seconds, 'Z'.</summary>
public static class Iso8601
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
