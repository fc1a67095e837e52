using CredentialVending.Common;

namespace CredentialVending.Functions.Http;

/// <summary>
/// Admin routes: API Gateway's AWS_IAM authorizer has checked the SigV4 signature; this checks that the signer is
/// one of ADMIN_PRINCIPAL_ARNS (comma separated, '*' matches any run of characters).
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

        return context.Services.Configuration.AdminPrincipalArns.Any(pattern => GlobMatches(pattern, arn))
            ? null
            : new Refusal(Codes.Forbidden, $"{arn} is not among the function's ADMIN_PRINCIPAL_ARNS.");
    }

    /// <summary>'*' matches any run of characters (including none); everything else matches itself.</summary>
    public static bool GlobMatches(string pattern, string value)
    {
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && pattern[p] == value[v])
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
