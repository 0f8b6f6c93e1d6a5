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
}
