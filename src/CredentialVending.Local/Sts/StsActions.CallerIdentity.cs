namespace CredentialVending.Local.Sts;

/// <summary><c>GetCallerIdentity</c> and <c>DecodeAuthorizationMessage</c>: the two signed read-only actions.</summary>
internal sealed partial class StsActions
{
    private static StsReply GetCallerIdentity(StsContext context)
    {
        var caller = context.Caller!;
        return StsReply.Ok(
        [
            StsXml.E("Arn", caller.Arn),
            StsXml.E("UserId", caller.UserId),
            StsXml.E("Account", caller.Account),
        ]);
    }

    private StsReply DecodeAuthorizationMessage(StsContext context)
    {
        var encoded = context.Parameters["EncodedMessage"];
        var limits = new StsLimits();
        limits.Required("encodedMessage", encoded);
        limits.Text("encodedMessage", encoded, 1, 10240, echo: false);
        if (limits.Result() is { } invalid)
        {
            return StsReply.Fail(invalid);
        }

        return messages.TryDecode(encoded!, out var decoded)
            ? StsReply.Ok([StsXml.E("DecodedMessage", decoded)])
            : StsReply.Fail(StsError.InvalidAuthorizationMessage());
    }
}
