using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Local.Sts;

/// <summary>
/// An STS emulator for development and tests, one instance per regional endpoint. It speaks the STS Query protocol
/// (form-encoded POST, <c>Version=2011-06-15</c>, XML answers and errors) and checks what moto does not: SigV4
/// signatures, STS's input limits, external ids, web identity tokens against the issuer's JWKS, and
/// DecodeAuthorizationMessage; it also injects faults. It serves AssumeRole, AssumeRoleWithWebIdentity,
/// GetCallerIdentity and DecodeAuthorizationMessage; every other action is <c>InvalidAction</c>. Never a deployment part.
/// </summary>
public sealed partial class StsEmulator : IAsyncDisposable
{
    private readonly StsEmulatorOptions _options;
    private readonly WebApplication _app;
    private readonly SessionStore _sessions = new();
    private readonly AuthorizationMessages _messages = new();
    private readonly WebIdentityVerifier _webIdentity;
    private readonly StsAuthenticator _authenticator;
    private readonly StsActions _actions;
    private readonly ConcurrentQueue<StsCall> _calls = new();
    private long _sequence;

    private StsEmulator(StsEmulatorOptions options, WebApplication app)
    {
        _options = options;
        _app = app;
        _webIdentity = new WebIdentityVerifier(options);
        _authenticator = new StsAuthenticator(options, _sessions);
        _actions = new StsActions(options, _sessions, _webIdentity, _messages);
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>: the SDK's <c>ServiceURL</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The region this endpoint serves (the SDK's <c>AuthenticationRegion</c>).</summary>
    public string Region => _options.Region;

    /// <summary>Fault injection for this endpoint.</summary>
    public StsFaults Faults { get; } = new();

    /// <summary>Every call received, in order of arrival, once answered (a thread-safe snapshot).</summary>
    public IReadOnlyList<StsCall> Calls => [.. _calls.OrderBy(c => c.Sequence)];

    /// <summary>Starts an emulator on a loopback port.</summary>
    public static async Task<StsEmulator> StartAsync(StsEmulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var (emulator, endpoint) = await LoopbackWebApp.StartPartAsync(options.Port, app => new StsEmulator(options, app), e => e.HandleAsync, ct).ConfigureAwait(false);
        emulator.Endpoint = endpoint;
        return emulator;
    }

    /// <summary>Trusts one more OIDC provider, audience and role while the emulator runs (a brokered tenant's role, once onboarded).</summary>
    public void AddWebIdentityTrust(WebIdentityTrust trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        CheckIssuer(trust, _options);
        _webIdentity.Add(trust);
    }

    /// <summary>Finds a session this emulator issued by its access key id.</summary>
    public bool TryFindSession(string accessKeyId, out IssuedSession session) => _sessions.TryFind(accessKeyId, out session);

    /// <summary>An encoded authorization message that this emulator's <c>DecodeAuthorizationMessage</c> decodes (and no other emulator does).</summary>
    public string EncodeAuthorizationFailure(AuthorizationFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return _messages.Encode(failure, AwsIds.PrincipalIdOf(failure.PrincipalArn));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _webIdentity.Dispose();
    }

    private static void Validate(StsEmulatorOptions options)
    {
        if (!AccountPattern().IsMatch(options.AccountId) || string.IsNullOrWhiteSpace(options.Region))
        {
            throw new ArgumentException("AccountId must be 12 digits and Region must be set.", nameof(options));
        }

        foreach (var trust in options.WebIdentityTrusts)
        {
            CheckIssuer(trust, options);
        }
    }

    private static void CheckIssuer(WebIdentityTrust trust, StsEmulatorOptions options)
    {
        var secure = Uri.TryCreate(trust.Issuer, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps
            || (uri.Scheme == Uri.UriSchemeHttp && options.AllowInsecureHttpIssuers && uri.IsLoopback));
        if (!secure)
        {
            throw new ArgumentException($"Web identity issuer {trust.Issuer} must be https:// (http:// only on loopback, with AllowInsecureHttpIssuers).", nameof(options));
        }
    }

    [GeneratedRegex(@"^[0-9]{12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();
}
