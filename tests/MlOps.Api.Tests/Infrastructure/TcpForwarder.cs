using System.Net;
using System.Net.Sockets;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>A loopback port that passes connections on to <c>target</c> until it is cut: a network between two services a test can break.</summary>
public sealed class TcpForwarder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _cut = new();
    private readonly List<TcpClient> _open = [];

    public TcpForwarder(Uri target)
    {
        _listener.Start();
        Address = new Uri($"{target.Scheme}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _ = AcceptAsync(target);
    }

    public Uri Address { get; }

    /// <summary>Closes every connection and refuses new ones.</summary>
    public void Cut()
    {
        _cut.Cancel();
        _listener.Stop();
        lock (_open)
        {
            _open.ForEach(c => c.Dispose());
        }
    }

    public void Dispose() => Cut();

    private async Task AcceptAsync(Uri target)
    {
        while (!_cut.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_cut.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var upstream = new TcpClient();
            lock (_open)
            {
                _open.Add(client);
                _open.Add(upstream);
            }
            _ = PipeAsync(client, upstream, target);
        }
    }

    private async Task PipeAsync(TcpClient client, TcpClient upstream, Uri target)
    {
        try
        {
            await upstream.ConnectAsync(target.Host, target.Port, _cut.Token);
            await Task.WhenAny(client.GetStream().CopyToAsync(upstream.GetStream(), _cut.Token), upstream.GetStream().CopyToAsync(client.GetStream(), _cut.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }
}
