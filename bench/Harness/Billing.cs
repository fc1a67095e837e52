namespace CredentialVending.Bench.Harness;

/// <summary>
/// What Lambda would bill a warm vend, modelled from this run: the time spent waiting on STS and DynamoDB (with the
/// injected round trips) plus the CPU the vend used, stretched by the share of a vCPU the memory size buys. Lambda
/// gives CPU in proportion to memory, 1,769 MB being one full vCPU
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). The model is conservative: it lets no
/// CPU overlap with waiting, and leaves out Lambda's rounding of each duration up to the next millisecond.
/// </summary>
public static class Billing
{
    public static readonly int[] MemorySizesMb = [128, 256, 512, 1024];

    /// <summary>The memory that buys one full vCPU.</summary>
    public const double FullVcpuMb = 1769;

    /// <summary>us-east-1, x86, the first tier (the first 6 billion GB-seconds a month).</summary>
    public const double PricePerGbSecond = 0.0000166667;

    /// <summary>us-east-1, every architecture.</summary>
    public const double PricePerMillionRequests = 0.20;

    public const string PriceSource = "https://aws.amazon.com/lambda/pricing/ (us-east-1, x86: $0.0000166667 per GB-second, first tier; $0.20 per million requests)";

    /// <summary>Modelled billed duration of one vend, in ms.</summary>
    public static double BilledMs(double waitingMs, double cpuMs, int memoryMb) =>
        waitingMs + (cpuMs / Math.Min(1.0, memoryMb / FullVcpuMb));

    /// <summary>US dollars for a million vends at <paramref name="memoryMb"/>, requests included.</summary>
    public static double CostPerMillion(double billedMs, int memoryMb) =>
        (1_000_000 * billedMs / 1000 * (memoryMb / 1024.0) * PricePerGbSecond) + PricePerMillionRequests;
}
