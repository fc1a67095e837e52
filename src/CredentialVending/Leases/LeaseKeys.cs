using System.Text;

namespace CredentialVending.Leases;

/// <summary>
/// The values that become DynamoDB keys of the ledger, and DynamoDB's limits on them, which count UTF-8 bytes: a
/// partition key (of the table or an index) at most 2,048, a sort key at most 1,024, (a table key also never empty, which the tenant id and the ULID never are). A value past them is
/// a <c>ValidationException</c> from DynamoDB, so it is refused before the call: before STS for a vend (a subject too long
/// to record must never get credentials), as a bad filter for the leases route.
/// </summary>
public static class LeaseKeys
{
    public const int MaxPartitionKeyBytes = 2048;
    public const int MaxSortKeyBytes = 1024;

    // Strict: a lone surrogate has no UTF-8 form, and DynamoDB would refuse (or the SDK mangle) it.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bySubject index's partition key.</summary>
    public static string TenantSubject(string tenantId, string subject) => $"{tenantId}#{subject}";

    /// <summary>Why <paramref name="subject"/> cannot be recorded for <paramref name="tenantId"/>, or null when it can.</summary>
    public static string? SubjectProblem(string tenantId, string subject)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(subject);
        var bytes = Utf8Length(TenantSubject(tenantId, subject));
        return bytes switch
        {
            null => "the subject is not valid Unicode text (it holds a lone surrogate), so the ledger cannot record it",
            > MaxPartitionKeyBytes => $"the subject is too long for the ledger to index: with the tenant id it takes {bytes} bytes of UTF-8 and DynamoDB allows {MaxPartitionKeyBytes}",
            _ => null,
        };
    }

    /// <summary>The UTF-8 length of <paramref name="value"/>, or null when it has none (a lone surrogate).</summary>
    public static int? Utf8Length(string value)
    {
        try
        {
            return StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }
}
