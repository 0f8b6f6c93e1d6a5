using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Signing;

/// <summary>
/// The per-user test certificate (cargo-wdk's WDRLocalTestCert): created on first use, under a lock so that parallel
/// builds create exactly one, then reused. The .pfx holds the private key and is readable by its owner only; the .cer
/// beside it is what goes into driver packages.
/// </summary>
public static class TestCertificateStore
{
    public const string Subject = "CN=WdkDriverTestCert";

    /// <summary>~/.local/share/WdkDriver/WdkDriverTestCert.pfx (Linux), %LOCALAPPDATA%\WdkDriver\WdkDriverTestCert.pfx (Windows).</summary>
    public static string DefaultPath => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "WdkDriver",
        "WdkDriverTestCert.pfx");

    public static string CerPath(string pfxPath) => Path.ChangeExtension(pfxPath, ".cer");

    public static X509Certificate2 GetOrCreate(string pfxPath, TimeSpan lockTimeout)
    {
        var full = Path.GetFullPath(pfxPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using var _ = FileLock.Acquire(full + ".lock", lockTimeout);
            if (!File.Exists(full))
            {
                using var created = TestCertificate.Create(Subject, DateTimeOffset.UtcNow);
                AtomicFile.Write(CerPath(full), created.RawData, ErrorCodes.TestCertificateFailed);
                AtomicFile.Write(full, created.Export(X509ContentType.Pfx), ErrorCodes.TestCertificateFailed, ownerOnly: true);
            }

            return new X509Certificate2(File.ReadAllBytes(full), (string?)null, X509KeyStorageFlags.Exportable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.TestCertificateFailed, $"Cannot create or read the test certificate: {e.Message}", full), e);
        }
    }
}
