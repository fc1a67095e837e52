using CredentialVending.Common;
using CredentialVending.Lambda.Context;
using CredentialVending.Vending;

namespace CredentialVending.Functions.Hosting;

/// <summary>
/// The log line of a lease that could not be written after STS answered: the credentials were dropped, and STS holds a
/// session the ledger does not, so the operator needs its lease id (its session name in CloudTrail) and the cause's type
/// and AWS error code, never the cause's message.
/// </summary>
internal static class LeaseWriteFailures
{
    public static CredentialVendor Subscribe(CredentialVendor vendor, ILambdaLogger? logger)
    {
        if (logger is not null)
        {
            vendor.LeaseWriteFailed += (leaseId, failure) =>
            {
                // The lease id stays on the invocation's later lines, the 503's among them.
                logger.AppendKey("leaseId", leaseId);
                logger.Log(LogLevel.Error, "The lease could not be written; the credentials were dropped.", DynamoFailures.Describe(failure));
            };
        }

        return vendor;
    }
}
