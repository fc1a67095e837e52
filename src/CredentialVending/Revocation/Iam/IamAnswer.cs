using System.Xml;

namespace CredentialVending.Revocation.Iam;

/// <summary>What one IAM Query answer said: for a success, the text of the element asked for; for an error, its code and message.</summary>
internal sealed record IamAnswer(string? Value, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>The HTTP status IAM answered with.</summary>
    public int Status { get; init; }

    // Answers are a few kilobytes; a policy document is at most 10,240 characters, URL-encoded at most three times that.
    private const long MaxCharacters = 256 * 1024;

    private static readonly XmlReaderSettings Settings = new()
    {
        // A DTD could expand entities without end or fetch files: IAM never sends one, so any DTD is refused.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        Async = true,
    };

    /// <summary>
    /// Reads an answer: the first element named <paramref name="valueElement"/> (any namespace: moto and IAM
    /// disagree on it), or <c>ErrorResponse/Error/Code</c> and <c>Message</c>. Null when the body is no XML at all.
    /// </summary>
    public static async Task<IamAnswer?> ReadAsync(Stream body, string? valueElement, CancellationToken cancellationToken)
    {
        string? value = null, code = null, message = null;
        try
        {
            using var reader = XmlReader.Create(body, Settings);
            var sawRoot = false;

            // Reading an element's content leaves the reader on the node after it, which must not be skipped.
            var advance = true;
            while (!advance || await reader.ReadAsync().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                advance = true;
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                sawRoot = true;
                advance = false;
                switch (reader.LocalName)
                {
                    case "Code" when code is null:
                        code = await reader.ReadElementContentAsStringAsync().ConfigureAwait(false);
                        break;
                    case "Message" when message is null:
                        message = await reader.ReadElementContentAsStringAsync().ConfigureAwait(false);
                        break;
                    case var name when name == valueElement && value is null:
                        value = await reader.ReadElementContentAsStringAsync().ConfigureAwait(false);
                        break;
                    default:
                        advance = true;
                        break;
                }
            }

            return sawRoot ? new IamAnswer(value, code, message) : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
