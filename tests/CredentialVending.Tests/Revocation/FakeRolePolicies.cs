using System.Collections.Concurrent;
using CredentialVending.Common;
using CredentialVending.Revocation;

namespace CredentialVending.Tests.Revocation;

/// <summary>Role inline policies in memory, as IAM keeps them; each call can be slowed (to interleave writers) or failed (IAM down).</summary>
internal sealed class FakeRolePolicies : IRolePolicies
{
    private readonly ConcurrentDictionary<(string Role, string Policy), string> _policies = new();

    public TimeSpan Latency { get; set; }

    public bool Down { get; set; }

    public int Puts;

    public string? this[string role] => _policies.TryGetValue((role, RevocationPolicy.Name), out var document) ? document : null;

    public async Task<string?> GetAsync(string roleName, string policyName, CancellationToken cancellationToken)
    {
        await CallAsync(cancellationToken);
        return _policies.TryGetValue((roleName, policyName), out var document) ? document : null;
    }

    public async Task PutAsync(string roleName, string policyName, string document, CancellationToken cancellationToken)
    {
        await CallAsync(cancellationToken);
        Interlocked.Increment(ref Puts);
        _policies[(roleName, policyName)] = document;
    }

    public async Task DeleteAsync(string roleName, string policyName, CancellationToken cancellationToken)
    {
        await CallAsync(cancellationToken);
        _policies.TryRemove((roleName, policyName), out _);
    }

    private async Task CallAsync(CancellationToken cancellationToken)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Latency.TotalMilliseconds * 2)), cancellationToken);
        }

        if (Down)
        {
            throw new DependencyUnavailableException("IAM is unreachable, throttling or failing; try again shortly.", TimeSpan.FromSeconds(1));
        }
    }
}
