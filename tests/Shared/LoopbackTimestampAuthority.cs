using System.Net;

namespace WdkDriver.Tests;

/// <summary>
/// A real RFC 3161 time-stamping authority (openssl ts -reply) behind a listener on a free loopback port; never the
/// internet. Its certificate is <see cref="CertificatePath"/> (PEM), issued for time stamping alone.
/// </summary>
internal sealed class LoopbackTimestampAuthority : IDisposable
{
    private const string Config = """
        [ tsa ]
        default_tsa = tsa_config
        [ tsa_config ]
        dir = .
        serial = ./tsaserial
        crypto_device = builtin
        signer_cert = ./tsa.crt
        certs = ./tsa.crt
        signer_key = ./tsa.key
        signer_digest = sha256
        default_policy = 1.2.3.4.1
        digests = sha1, sha256, sha384, sha512
        accuracy = secs:1
        ordering = yes
        tsa_name = yes
        ess_cert_id_chain = no
        ess_cert_id_alg = sha256
        """;

    private readonly TempDirectory temp = new("tsa");
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly object gate = new();
    private int answered;

    public LoopbackTimestampAuthority()
    {
        temp.Write("tsa.cnf", Config);
        temp.Write("tsaserial", "01\n");
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.crt", "-days", "30", "-subj", "/CN=Loopback TSA", "-addext", "extendedKeyUsage=critical,timeStamping");
        Address = LoopbackListener.Start(listener);
        _ = Task.Run(Serve);
    }

    public Uri Address { get; }

    /// <summary>The authority's certificate (PEM).</summary>
    public string CertificatePath => temp.Combine("tsa.crt");

    /// <summary>How many queries were answered.</summary>
    public int Answered => Volatile.Read(ref answered);

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        temp.Dispose();
    }

    private void Serve()
    {
        // Bounded: a handful of queries per test, and it ends with the test.
        while (!stop.IsCancellationRequested && answered < 50)
        {
            HttpListenerContext context;
            try
            {
                context = listener.GetContext();
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }

            // openssl ts keeps its serial in a file: one query at a time.
            lock (gate)
            {
                using (var query = File.Create(temp.Combine("query.tsq")))
                {
                    context.Request.InputStream.CopyTo(query);
                }

                var (exitCode, _) = ToolProcess.Run(temp.Path, "openssl", new[] { "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "query.tsq", "-out", "reply.tsr" });
                var reply = exitCode == 0 ? File.ReadAllBytes(temp.Combine("reply.tsr")) : Array.Empty<byte>();
                context.Response.StatusCode = exitCode == 0 ? 200 : 500;
                context.Response.ContentType = "application/timestamp-reply";
                context.Response.OutputStream.Write(reply);
                context.Response.Close();
                Interlocked.Increment(ref answered);
            }
        }
    }
}
