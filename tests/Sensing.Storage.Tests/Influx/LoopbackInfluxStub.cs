using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sensing.Storage.Tests.Influx;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 for the answers a real influxd cannot be made to give (413 on demand, 429 and
/// 503 with Retry-After, 5xx). A responder function decides each answer; every /write request is recorded.
/// </summary>
public sealed class LoopbackInfluxStub : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<Request, Response> _respond;
    private readonly Task _loop;

    public LoopbackInfluxStub(Func<Request, Response> respond, int? port = null)
    {
        _respond = respond;
        Port = port ?? FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public ConcurrentQueue<Request> Requests { get; } = new();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            Stream input = context.Request.Headers["Content-Encoding"] == "gzip" ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress) : context.Request.InputStream;
            await input.CopyToAsync(body);
            var request = new Request(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, Encoding.UTF8.GetString(body.ToArray()), DateTime.UtcNow, context.Request.Headers["Authorization"]);
            Requests.Enqueue(request);
            var response = _respond(request);
            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers ?? [])
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(response.Body ?? string.Empty);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <summary>One request as received (body decompressed).</summary>
    public sealed record Request(string Method, string PathAndQuery, string Body, DateTime At, string? Authorization)
    {
        public string[] Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The answer to give.</summary>
    public sealed record Response(int Status, string? Body = null, Dictionary<string, string>? Headers = null)
    {
        public static Response NoContent { get; } = new(204);
    }
}
