namespace CredentialVending.Lambda.Client;

/// <summary>What the invocation loop needs of the Lambda Runtime API; tests give the loop a fake.</summary>
public interface IRuntimeApiClient
{
    Task<InvocationRequest> GetNextInvocationAsync(CancellationToken cancellationToken);
    Task SendResponseAsync(string requestId, byte[] response, CancellationToken cancellationToken);
    Task ReportInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken);
    Task ReportInitializationErrorAsync(LambdaError error, CancellationToken cancellationToken);
}
