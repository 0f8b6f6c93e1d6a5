using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing;

/// <summary>Certificates (.cer, DER or PEM) from files a user named; one that cannot be read is a coded error at its file.</summary>
public static class CertificateFile
{
    public static X509Certificate2 Load(string path)
    {
        try
        {
            return new X509Certificate2(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read the certificate: {e.Message}", path), e);
        }
    }

    public static List<X509Certificate2> LoadAll(IEnumerable<string> paths) => paths.Select(Load).ToList();

    /// <summary>Every certificate in a file: a PEM text of several, a PKCS#7 bundle (.p7b), or one DER certificate.</summary>
    public static List<X509Certificate2> LoadBundle(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            const string Begin = "-----BEGIN CERTIFICATE-----", End = "-----END CERTIFICATE-----";
            if (text.Contains(Begin))
            {
                return text.Split(new[] { Begin }, StringSplitOptions.None).Skip(1)
                    .Select(block => new X509Certificate2(Convert.FromBase64String(block.Substring(0, block.IndexOf(End, StringComparison.Ordinal)).Trim())))
                    .ToList();
            }

            var bundle = new X509Certificate2Collection();
            bundle.Import(bytes);
            return bundle.Cast<X509Certificate2>().ToList();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read the certificate: {e.Message}", path), e);
        }
    }
}
