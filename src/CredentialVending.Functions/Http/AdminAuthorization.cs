using CredentialVending.Common;

namespace CredentialVending.Functions.Http;

/// <summary>
/// Admin routes: API Gateway's AWS_IAM authorizer has checked the SigV4 signature; this checks that the signer is
/// one of ADMIN_PRINCIPAL_ARNS (comma separated, '*' matches any run of characters). A pattern with a '*'
/// before its resource is refused at init (<see cref="Hosting.FunctionConfiguration"/>), so every pattern names one account.
/// </summary>
public static class AdminAuthorization
{
    public static Refusal? Check(RouteContext context)
    {
        var arn = context.Request.RequestContext?.Authorizer?.IAM?.UserArn;
        if (string.IsNullOrEmpty(arn))
        {
            return new Refusal(Codes.Forbidden, "Admin routes take IAM-signed (SigV4) requests through API Gateway's AWS_IAM authorizer; this request carries no IAM identity.");
        }

        return context.Services.Configuration.AdminPrincipalArns.Any(pattern => ArnPatterns.Matches(pattern, arn))
            ? null
            : new Refusal(Codes.Forbidden, $"{arn} is not among the function's ADMIN_PRINCIPAL_ARNS.");
    }
}
