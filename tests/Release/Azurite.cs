using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;

namespace WdkDriver.Tests;

/// <summary>
/// Azurite, the Azure Storage emulator (a real blob service), on a free loopback port for the test's lifetime: where
/// the Hardware API stand-in's upload and download addresses point, as Partner Center's point to Azure Storage.
/// </summary>
internal sealed class Azurite : IDisposable
{
    // Azurite's documented development account and key.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process process;
    private readonly TempDirectory temp = new("azurite");

    public Azurite()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var info = new ProcessStartInfo("azurite-blob") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path };
        foreach (var argument in new[] { "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--blobHost", "127.0.0.1", "--blobPort", Port.ToString() })
        {
            info.ArgumentList.Add(argument);
        }

        process = Process.Start(info)!;
        // Read as it comes, so that Azurite never blocks on a full pipe.
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => said.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => said.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // The SDK's own retries would wait for seconds while Azurite starts; the loop below checks every 100 ms.
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        var service = new BlobServiceClient(new Uri($"http://127.0.0.1:{Port}/{Account}"), new StorageSharedKeyCredential(Account, Key), options);
        // Node starts Azurite in a second or two, but a loaded machine (the other test assemblies run meanwhile) can
        // take far longer.
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"azurite-blob exited with {process.ExitCode}: {string.Join(" ", said)}");
            }

            try
            {
                Container = service.GetBlobContainerClient("submissions");
                Container.CreateIfNotExists();
                break;
            }
            catch (Exception) when (started.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(100);
            }
        }
    }

    public static bool Available => Requirements.FindOnPath("azurite-blob") is not null;

    public int Port { get; }

    public BlobContainerClient Container { get; private set; } = null!;

    /// <summary>A SAS address for one blob, as Partner Center hands out: write for uploads, read for downloads.</summary>
    public Uri Address(string blob, BlobSasPermissions permissions) =>
        Container.GetBlobClient(blob).GenerateSasUri(permissions, DateTimeOffset.UtcNow.AddHours(1));

    public void Dispose()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
        temp.Dispose();
    }
}

/// <summary>A test that uploads to Azurite (npm's azurite, installed by eng/install-prerequisites.sh).</summary>
public sealed class AzuriteFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs azurite (node).</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [azurite (node)]";

    public AzuriteFactAttribute()
    {
        Skip = Requirements.SkipReason(Azurite.Available, "azurite (npm install -g azurite)");
    }
}

/// <summary>A test that builds a driver with Rust and submits it to the stand-in, uploading to Azurite.</summary>
public sealed class WindowsRustAzuriteFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs cargo, mingw-w64, azurite (node).</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [cargo, mingw-w64, azurite (node)]";

    public WindowsRustAzuriteFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.WindowsRust, "Rust for x86_64-pc-windows-gnu (rustc, cargo, libstd-rust-dev-windows, mingw-w64)")
            ?? Requirements.SkipReason(Azurite.Available, "azurite (npm install -g azurite)");
    }
}
