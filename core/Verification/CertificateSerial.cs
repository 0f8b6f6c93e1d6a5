using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace WdkDriver.Core.Verification;

/// <summary>A serial number as hex, without the leading zeros of its DER sign byte, so a list's and a certificate's compare.</summary>
internal static class CertificateSerial
{
    public static string Of(byte[] bigEndian) => BitConverter.ToString(bigEndian.SkipWhile(b => b == 0).ToArray()).Replace("-", string.Empty);

    public static string Of(X509Certificate2 certificate) => Of(Enumerable.Reverse(certificate.GetSerialNumber()).ToArray());
}
