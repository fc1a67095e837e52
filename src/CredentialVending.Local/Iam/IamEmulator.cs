using System.Collections.Concurrent;
using System.Xml.Linq;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Iam;

/// <summary>One call an <see cref="IamEmulator"/> answered.</summary>
public sealed record IamCall(string Action, string? RoleName, string? PolicyName, int StatusCode, string? ErrorCode);

/// <summary>
/// An IAM emulator for development and tests: roles (<c>CreateRole</c>, <c>GetRole</c>) and their inline policies
/// (<c>GetRolePolicy</c>, <c>PutRolePolicy</c>, <c>DeleteRolePolicy</c>, <c>ListRolePolicies</c>) over the Query
/// protocol (form-encoded POST, <c>Version=2010-05-08</c>, XML answers and errors), with what moto does not check:
/// SigV4 signatures (scope <c>us-east-1/iam</c>) and the 10,240-character limit on a role's inline policies. Faults
/// are the STS emulator's kinds (Throttle, InternalFailure, ServiceUnavailable, AccessDenied, Hang). Never a deployment part.
/// </summary>
public sealed class IamEmulator : IAsyncDisposable
{
    internal static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private const string ApiVersion = "2010-05-08";
    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal)
    {
        "CreateRole", "GetRole", "GetRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "ListRolePolicies",
    };

    private readonly IamEmulatorOptions _options;
    private readonly WebApplication _app;
    private readonly IamRoles _roles;
    private readonly ConcurrentQueue<IamCall> _calls = new();

    private IamEmulator(IamEmulatorOptions options, WebApplication app)
    {
        _options = options;
        _app = app;
        _roles = new IamRoles(options);
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>: the functions' <c>AWS_ENDPOINT_URL_IAM</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Fault injection, as for the STS emulator: <c>Faults.Set(StsFault.Throttle, calls: 2)</c>.</summary>
    public StsFaults Faults { get; } = new();

    /// <summary>Every call answered, in order of answer (a thread-safe snapshot).</summary>
    public IReadOnlyList<IamCall> Calls => [.. _calls];

    public static async Task<IamEmulator> StartAsync(IamEmulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = LoopbackWebApp.CreateBuilder(options.Port).Build();
        var emulator = new IamEmulator(options, app);
        app.Run(emulator.HandleAsync);
        try
        {
            emulator.Endpoint = await LoopbackWebApp.StartAsync(app, ct).ConfigureAwait(false);
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a role of the account (with an empty trust policy) unless it exists; true when it was created.</summary>
    public bool CreateRole(string roleName) => _roles.Ensure(roleName);

    /// <summary>A role's inline policy as IAM holds it (the document as put), or null.</summary>
    public string? RolePolicy(string roleName, string policyName) => _roles.PolicyOf(roleName, policyName);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString();
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var parameters = StsParameters.Read(http.Request, body);
        var (result, error) = await DispatchAsync(http.Request, parameters, body, http.RequestAborted).ConfigureAwait(false);
        var status = error?.Status ?? StatusCodes.Status200OK;
        var answer = error is null ? StsXml.Success(parameters.Action, result, requestId, Ns) : StsXml.Error(error, requestId, Ns);

        // Recorded before the answer leaves: a client that has its answer finds its call in Calls.
        _calls.Enqueue(new IamCall(parameters.Action, parameters["RoleName"], parameters["PolicyName"], status, error?.Code));
        await StsXml.WriteAsync(http.Response, status, answer, requestId).ConfigureAwait(false);
    }

    private async Task<(IEnumerable<XElement?>? Result, StsError? Error)> DispatchAsync(HttpRequest request, StsParameters parameters, byte[] body, CancellationToken aborted)
    {
        if (!Actions.Contains(parameters.Action) || parameters.Version != ApiVersion)
        {
            return (null, StsError.InvalidAction(parameters.Action, parameters.Version));
        }

        if (Authenticate(request, body) is { } refused)
        {
            return (null, refused);
        }

        var fault = Faults.Take();
        switch (fault.Kind)
        {
            case StsFaultKind.Throttle:
                return (null, StsError.Throttling());
            case StsFaultKind.InternalFailure:
                return (null, IamErrors.ServiceFailure());
            case StsFaultKind.ServiceUnavailable:
                return (null, StsError.ServiceUnavailable());
            case StsFaultKind.AccessDenied:
                return (null, StsError.AccessDenied($"User: arn:aws:iam::{_options.AccountId}:user/credential-vending-local is not authorized to perform: iam:{parameters.Action}"));
            case StsFaultKind.Hang:
                await Task.Delay(fault.Delay, aborted).ConfigureAwait(false);
                break;
        }

        // PutRolePolicy and DeleteRolePolicy have no result: their answer is ResponseMetadata alone.
        return _roles.Run(parameters.Action, parameters);
    }

    private StsError? Authenticate(HttpRequest request, byte[] body)
    {
        var (header, malformed) = SigV4.Parse(request);
        if (malformed is not null || header is null)
        {
            return malformed ?? StsError.MissingAuthenticationToken();
        }

        return _options.CallerCredentials.TryGetValue(header.AccessKeyId, out var secret)
            ? SigV4.Verify(request, body, header, secret, "us-east-1", DateTimeOffset.UtcNow, service: "iam")
            : StsError.InvalidClientTokenId();
    }
}
