using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace CredentialVending.Local.Sts;

/// <summary>The STS Query protocol's XML answers, in the 2011-06-15 namespace; the IAM emulator's too, in its own namespace.</summary>
internal static class StsXml
{
    public static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    public static XElement E(string name, object? content) => new(Ns + name, content);

    public static XElement? Optional(string name, string? value) => value is null ? null : E(name, value);

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>&lt;{Action}Response&gt;&lt;{Action}Result&gt;...&lt;/&gt;&lt;ResponseMetadata&gt;&lt;RequestId/&gt;</c>.</summary>
    /// <remarks>An action with no result (IAM's PutRolePolicy) answers <c>ResponseMetadata</c> alone.</remarks>
    public static XElement Success(string action, IEnumerable<XElement?>? result, string requestId, XNamespace? ns = null)
    {
        ns ??= Ns;
        return new XElement(ns + (action + "Response"), new object?[]
        {
            result is null ? null : new XElement(ns + (action + "Result"), result.Where(e => e is not null)),
            new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", requestId)),
        });
    }

    public static XElement Error(StsError error, string requestId, XNamespace? ns = null)
    {
        ns ??= Ns;
        return new XElement(ns + "ErrorResponse", new object[]
        {
            new XElement(ns + "Error", new[] { new XElement(ns + "Type", error.Type), new XElement(ns + "Code", error.Code), new XElement(ns + "Message", error.Message) }),
            new XElement(ns + "RequestId", requestId),
        });
    }

    public static async Task WriteAsync(HttpResponse response, int status, XElement body, string requestId)
    {
        response.StatusCode = status;
        response.ContentType = "text/xml";
        response.Headers["x-amzn-RequestId"] = requestId;
        var bytes = Encoding.UTF8.GetBytes(body.ToString(SaveOptions.None));
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }
}
