namespace MlOps.Api.Hosting;

/// <summary>
/// No client means to send a NUL character, and PostgreSQL cannot store one in text (SQLite would, so the two would
/// differ). A request carrying one in its path, query, JSON or form body, or multipart names, is bad input: refused
/// with a <see cref="BadHttpRequestException"/> that each surface answers in its own format, before anything is
/// written. Bodies are checked as they stream through, so no request is buffered for it; the bytes of multipart
/// uploads are not checked (binary content may hold any byte), their names are.
/// </summary>
public static class NulGuard
{
    private const string Message = "NUL characters (\\u0000) are not allowed in requests";

    public static IApplicationBuilder UseNulGuard(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            var type = http.Request.ContentType ?? "";
            var form = type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
            // Every upload but MLflow's is multipart and every gRPC message binary; any other body is read as JSON by some surface
            // (ClearML reads it whatever its type). A NUL in a gRPC string is refused where the value is stored.
            // MLflow's artifact uploads are raw file bytes (PUT .../mlflow-artifacts/artifacts/...), any byte allowed.
            if (!type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
                && !Mlflow.MlflowApi.IsRawUpload(http.Request))
            {
                http.Request.Body = new NulScanningStream(http.Request.Body, form);
            }
            return next(http);
        });

    /// <summary>Refuses a path or query that holds a NUL; each surface's filter calls it first.</summary>
    public static void ThrowIfInPathOrQuery(HttpContext http)
    {
        if (http.Request.Path.Value?.Contains('\0') == true
            || http.Request.Query.Any(q => q.Key.Contains('\0') || q.Value.Any(v => v?.Contains('\0') == true)))
        {
            throw new BadHttpRequestException(Message);
        }
    }

    /// <summary>Refuses a multipart form whose field names, values or file names hold a NUL.</summary>
    public static void ThrowIfInForm(IFormCollection form)
    {
        if (form.Any(f => f.Key.Contains('\0') || f.Value.Any(v => v?.Contains('\0') == true))
            || form.Files.Any(f => f.Name.Contains('\0') || f.FileName.Contains('\0')))
        {
            throw new BadHttpRequestException(Message);
        }
    }

    /// <summary>Refuses one multipart name (a part's field or file name).</summary>
    public static string ThrowIfIn(string name) => name.Contains('\0') ? throw new BadHttpRequestException(Message) : name;

    /// <summary>
    /// Passes the body through, failing the read that brings a NUL: a raw 0x00 byte, the JSON escape <c>\u0000</c>
    /// (not when its backslash is itself escaped), or <c>%00</c> in a form. The state carries over between reads, so a
    /// sequence split across two reads is still seen.
    /// </summary>
    private sealed class NulScanningStream(Stream inner, bool form) : Stream
    {
        private static readonly byte[] JsonEscape = "u0000"u8.ToArray();
        private static readonly byte[] FormEscape = "%00"u8.ToArray();
        private bool _escaped;
        private int _matched = -1;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Scan(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Scan(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Scan(ReadOnlySpan<byte> read)
        {
            if (read.Contains((byte)0))
            {
                throw new BadHttpRequestException(Message);
            }
            var start = form ? (byte)'%' : (byte)'\\';
            for (var i = 0; i < read.Length; i++)
            {
                if (_matched < 0 && !_escaped)
                {
                    var next = read[i..].IndexOf(start);
                    if (next < 0)
                    {
                        break;
                    }
                    i += next;
                }
                Step(read[i]);
            }
            return read.Length;
        }

        private void Step(byte b)
        {
            var pattern = form ? FormEscape : JsonEscape;
            if (_matched >= 0)
            {
                if (b == pattern[_matched])
                {
                    if (++_matched == pattern.Length)
                    {
                        throw new BadHttpRequestException(Message);
                    }
                    return;
                }
                _matched = -1;
            }
            if (form)
            {
                _matched = b == '%' ? 1 : -1;
            }
            else if (_escaped)
            {
                _escaped = false;
                _matched = b == 'u' ? 1 : -1;
            }
            else
            {
                _escaped = b == '\\';
            }
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
