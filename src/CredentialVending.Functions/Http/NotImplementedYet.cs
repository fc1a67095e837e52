using CredentialVending.Common;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Http;

/// <summary>The answer of a route of API.md whose behaviour has not been built yet: 501, so nobody mistakes it for a success.</summary>
public static class NotImplementedYet
{
    public static APIGatewayHttpApiV2ProxyResponse Answer(RouteContext context) =>
        HttpAnswer.Problem(Codes.NotImplemented, $"{context.Request.RequestContext?.Http?.Method} {context.Request.RawPath} is part of the contract but is not served yet.", context.RequestId);
}
