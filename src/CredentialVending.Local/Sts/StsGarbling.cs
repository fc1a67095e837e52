using System.Text;
using System.Xml.Linq;

namespace CredentialVending.Local.Sts;

/// <summary>
/// Writes the garbled answers of <see cref="StsFaultKind"/>: what a broken endpoint, a proxy or a truncated connection
/// hands a client after STS did its work, so a client can be shown to drop what it could not read.
/// </summary>
internal static class StsGarbling
{
    private const string HtmlPage = "<!DOCTYPE html><html><head><title>Gateway</title></head><body><h1>Please sign in to continue</h1></body></html>";

    public static async Task WriteAsync(HttpResponse response, StsFaultKind garble, XElement answer, string requestId)
    {
        var (contentType, body) = garble switch
        {
            StsFaultKind.TruncatedXml => ("text/xml", Half(answer.ToString(SaveOptions.None))),
            StsFaultKind.Html => ("text/html; charset=utf-8", HtmlPage),
            StsFaultKind.EmptyBody => ("text/xml", string.Empty),
            _ => ("text/xml", Edited(answer, garble).ToString(SaveOptions.None)),
        };
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers["x-amzn-RequestId"] = requestId;
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    private static string Half(string xml) => xml[..(xml.Length / 2)];

    private static XElement Edited(XElement answer, StsFaultKind garble)
    {
        var copy = new XElement(answer);
        var credentials = copy.Descendants(StsXml.Ns + "Credentials").FirstOrDefault();
        switch (garble)
        {
            case StsFaultKind.NoCredentials:
                credentials?.Remove();
                break;
            case StsFaultKind.BadExpiration:
                credentials?.Element(StsXml.Ns + "Expiration")?.SetValue("soon, give or take");
                break;
            case StsFaultKind.BadAccessKeyId:
                credentials?.Element(StsXml.Ns + "AccessKeyId")?.SetValue("not a key id!");
                break;
            case StsFaultKind.OtherSamlSubject:
                copy.Descendants(StsXml.Ns + "Subject").FirstOrDefault()?.SetValue(StsFault.OtherSamlSubjectValue);
                break;
            case StsFaultKind.UnreadableNumber:
                var result = copy.Elements().First();
                (result.Element(StsXml.Ns + "PackedPolicySize") ?? AddPacked(result)).SetValue("lots");
                break;
        }

        return copy;
    }

    private static XElement AddPacked(XElement result)
    {
        var packed = StsXml.E("PackedPolicySize", "0");
        result.Add(packed);
        return packed;
    }
}
