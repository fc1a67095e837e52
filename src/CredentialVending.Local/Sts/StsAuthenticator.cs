namespace CredentialVending.Local.Sts;

/// <summary>Who signed a call: the configured caller, or a session this emulator issued.</summary>
internal sealed record StsPrincipal(string Arn, string UserId, string Account, IssuedSession? Session);

/// <summary>Resolves a signed call's principal and verifies its SigV4 signature against that principal's secret.</summary>
internal sealed class StsAuthenticator(StsEmulatorOptions options, SessionStore sessions)
{
    public string CallerArn { get; } = options.CallerArn ?? $"arn:aws:iam::{options.AccountId}:user/credential-vending-local";

    public (StsPrincipal? Principal, StsError? Error) Authenticate(HttpRequest request, byte[] body, DateTimeOffset now)
    {
        var (header, malformed) = SigV4.Parse(request);
        if (malformed is not null || header is null)
        {
            return (null, malformed ?? StsError.MissingAuthenticationToken());
        }

        string secret;
        IssuedSession? session = null;
        if (options.CallerCredentials.TryGetValue(header.AccessKeyId, out var callerSecret))
        {
            secret = callerSecret;
        }
        else if (sessions.TryFind(header.AccessKeyId, out var issued))
        {
            // Temporary keys are worthless without their own session token, exactly as with AWS.
            if (request.Headers["X-Amz-Security-Token"].ToString() != issued.SessionToken)
            {
                return (null, StsError.InvalidClientTokenId());
            }

            (secret, session) = (issued.SecretAccessKey, issued);
        }
        else
        {
            return (null, StsError.InvalidClientTokenId());
        }

        if (SigV4.Verify(request, body, header, secret, options.Region, now) is { } invalid)
        {
            return (null, invalid);
        }

        if (session is not null && session.Expiration <= now)
        {
            return (null, StsError.ExpiredToken());
        }

        var principal = session is null
            ? new StsPrincipal(CallerArn, AwsIds.PrincipalIdOf(CallerArn), AwsIds.AccountOf(CallerArn), null)
            : new StsPrincipal(session.AssumedRoleArn, session.AssumedRoleId, AwsIds.AccountOf(session.RoleArn), session);
        return (principal, null);
    }
}
