using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CredentialVending.Bench.Harness;

/// <summary>
/// A byte-for-byte TCP relay on loopback in front of dynalite or the STS emulator, which notes when each HTTP exchange
/// began (the first request bytes read from the function) and ended (the last response bytes written back to it).
/// It is transparent: SigV4 signs the Host the function sent, which is this relay's, and the emulators check that.
/// Parsing no HTTP keeps it cheap and exact: on one keep-alive connection, request bytes after response bytes start a
/// new exchange, so an exchange is [first request byte, last response byte before the next request]. When a round trip
/// is injected, the moment the request went on to the backend splits it: before, the injected wait; after, the backend's
/// own time (the emulator's work and one loopback hop), which is not what a vend on Lambda would wait on.
/// </summary>
public sealed class TimingProxy : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly IPEndPoint _backend;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Exchange> _exchanges = [];
    private readonly List<Socket> _sockets = [];

    private TimingProxy(IPEndPoint backend) => _backend = backend;

    /// <summary>
    /// A network round trip added to every exchange, before its request is forwarded: loopback answers in microseconds,
    /// a same-region DynamoDB or STS call does not, and what a vend waits on is what Lambda bills. Zero: none.
    /// </summary>
    public TimeSpan RoundTrip { get; set; }

    /// <summary><c>http://127.0.0.1:PORT/</c>, to give the function in place of the backend's address.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public static TimingProxy Start(Uri backend)
    {
        var proxy = new TimingProxy(new IPEndPoint(IPAddress.Parse(backend.Host), backend.Port));
        proxy._listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        proxy._listener.Listen(256);
        proxy.Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)proxy._listener.LocalEndPoint!).Port}/");
        _ = proxy.AcceptLoopAsync();
        return proxy;
    }

    /// <summary>Hands over every exchange noted so far (stopwatch ticks) and forgets them.</summary>
    public IReadOnlyList<ProxyExchange> Drain()
    {
        lock (_exchanges)
        {
            var all = _exchanges.Select(e => new ProxyExchange(e.Start, Volatile.Read(ref e.Forwarded), Volatile.Read(ref e.End))).ToArray();
            _exchanges.Clear();
            return all;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        lock (_sockets)
        {
            _sockets.Add(client);
            _sockets.Add(backend);
        }

        try
        {
            await backend.ConnectAsync(_backend, _stop.Token);
            var connection = new Connection(this);
            await Task.WhenAll(PumpAsync(client, backend, connection, request: true), PumpAsync(backend, client, connection, request: false));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to, Connection connection, bool request)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (request && connection.RequestBytes(Stopwatch.GetTimestamp()) && RoundTrip > TimeSpan.Zero)
                {
                    await Task.Delay(RoundTrip, _stop.Token);
                    connection.Forwarded(Stopwatch.GetTimestamp());
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                if (!request)
                {
                    connection.ResponseBytes(Stopwatch.GetTimestamp());
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Either side went away: close the other, as the function or the emulator would see it.
            from.Dispose();
            to.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Exchange(long start)
    {
        public readonly long Start = start;
        public long Forwarded = start;
        public long End = start;
    }

    /// <summary>The exchange in progress on one connection, and whether its response has begun.</summary>
    private sealed class Connection(TimingProxy proxy)
    {
        // Written by one pump, read by the other; HTTP/1.1's turn-taking orders them, volatile makes it visible.
        private volatile Exchange? _current;
        private volatile bool _responding;

        /// <summary>Notes request bytes; true when they begin a new exchange.</summary>
        public bool RequestBytes(long now)
        {
            if (_current is not null && !_responding)
            {
                return false;
            }

            _current = new Exchange(now);
            _responding = false;
            lock (proxy._exchanges)
            {
                proxy._exchanges.Add(_current);
            }

            return true;
        }

        /// <summary>Notes when the injected wait ended and the request went on to the backend.</summary>
        public void Forwarded(long now)
        {
            if (_current is { } exchange)
            {
                Volatile.Write(ref exchange.Forwarded, now);
            }
        }

        public void ResponseBytes(long now)
        {
            if (_current is null)
            {
                return;
            }

            Volatile.Write(ref _current.End, now);
            _responding = true;
        }
    }
}

/// <summary>One HTTP exchange through a <see cref="TimingProxy"/>, in stopwatch ticks: the first request byte read, the
/// request forwarded to the backend (after the injected round trip; <paramref name="Start"/> when none), the last
/// response byte written back.</summary>
public readonly record struct ProxyExchange(long Start, long Forwarded, long End)
{
    /// <summary>The injected wait, with the timer's lateness: what a vend waits on where the backend is a network away.</summary>
    public (long Start, long End) Injected => (Start, Forwarded);

    /// <summary>The whole exchange, as the function waits on it.</summary>
    public (long Start, long End) Whole => (Start, End);
}
