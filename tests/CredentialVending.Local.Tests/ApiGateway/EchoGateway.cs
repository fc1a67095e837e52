using System.Collections.Concurrent;
using System.Text.Json;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Lambda;

namespace CredentialVending.Local.Tests.ApiGateway;

/// <summary>
/// The API Gateway emulator with template.yaml's routes in front of an echo function: a small Node.js runtime that
/// answers every event with the event itself (base64, so the answer mapping is exercised too), two cookies, and a CORS
/// header of its own that API Gateway must drop. It sleeps <c>x-echo-delay-ms</c> first, to make invocations overlap.
/// </summary>
public sealed class EchoGateway : IAsyncLifetime
{
    public const int MaxConcurrency = 3;
    public static readonly IamCredential Admin = new("AKIAECHOADMIN0000001", "echoAdminSecret000000000000000000000000", "arn:aws:iam::123456789012:user/echo-admin");
    public static readonly string[] Origins = ["https://app.example.com", "http://localhost:*"];

    private const string Script = """
        #!/usr/bin/env node
        const http = require('http');
        const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
        const call = (method, path, body) => new Promise((resolve, reject) => {
          const req = http.request({ host, port, method, path }, res => {
            const chunks = [];
            res.on('data', c => chunks.push(c));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          });
          req.on('error', reject);
          if (body) req.write(body);
          req.end();
        });
        (async () => {
          for (;;) {
            const next = await call('GET', '/2018-06-01/runtime/invocation/next');
            const id = next.headers['lambda-runtime-aws-request-id'];
            const event = JSON.parse(next.body.toString('utf8'));
            const delay = Number((event.headers || {})['x-echo-delay-ms'] || 0);
            if (delay) await new Promise(r => setTimeout(r, delay));
            const answer = {
              statusCode: 200,
              headers: { 'content-type': 'application/json', 'x-echo': 'yes', 'access-control-allow-origin': 'https://function.example' },
              cookies: ['session=abc; Path=/; HttpOnly', 'theme=dark'],
              isBase64Encoded: true,
              body: Buffer.from(JSON.stringify(event)).toString('base64'),
            };
            await call('POST', `/2018-06-01/runtime/invocation/${id}/response`, JSON.stringify(answer));
          }
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "credvend-echo-" + Guid.NewGuid().ToString("N")[..8]);

    public ApiGatewayEmulator Gateway { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public ConcurrentQueue<(string Function, string Line)> Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var bootstrap = Path.Combine(_folder, "bootstrap");
        await File.WriteAllTextAsync(bootstrap, Script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Gateway = await ApiGatewayEmulator.StartAsync(new ApiGatewayOptions
        {
            Api = HttpApiDefinition.Load(RepositoryPaths.Template),
            Launch = f => new FunctionLaunch { BootstrapPath = bootstrap, Handler = f.Handler, FunctionName = f.LogicalId },
            MaxConcurrency = MaxConcurrency,
            AllowedOrigins = Origins,
            IamCredentials = [Admin],
            Log = (function, line) => Logs.Enqueue((function, line)),
        });
        // No cookie jar: each test sends exactly the cookies it names.
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Gateway.Url };
    }

    /// <summary>A client that signs with <paramref name="credential"/> (the echo admin key by default).</summary>
    public HttpClient Signed(IamCredential? credential = null, string region = "us-east-1") =>
        new(new SigV4SigningHandler(credential ?? Admin, region)) { BaseAddress = Gateway.Url };

    /// <summary>The event the echo function received, read back from its answer.</summary>
    public static async Task<JsonElement> EventOf(HttpResponseMessage response)
    {
        Assert.Equal("yes", response.Headers.GetValues("x-echo").Single());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
