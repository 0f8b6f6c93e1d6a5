using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Signing;

/// <summary>
/// Signs a cabinet as signtool and osslsigncode do: the signed layout (a 20-byte header reserve pointing at the
/// signature), an SpcIndirectDataContent of type SPC_CAB_DATA holding the obsolete file link and the cabinet's digest,
/// and the PKCS#7 blob appended, padded to 8 bytes. An earlier signature is replaced, never nested.
/// </summary>
public static class CabinetSigner
{
    private const string IndirectData = "1.3.6.1.4.1.311.2.1.4";
    private const string CabData = "1.3.6.1.4.1.311.2.1.25";

    /// <summary>Writes the signed form of the cabinet <paramref name="source"/> to <paramref name="destination"/> (never half-written; the two may be one file).</summary>
    public static void Sign(string source, string destination, SigningKey signer, IReadOnlyList<X509Certificate2> chain, HashAlgorithmName digest, ITimestamper? timestamper = null)
    {
        AtomicFile.Write(
            destination,
            temporary =>
            {
                try
                {
                    using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                    var layout = CabinetSigningLayout.Read(input, source, ErrorCodes.SignInputInvalid);
                    var signedData = AuthenticodeSigner.Sign(IndirectData, IndirectDataContent(layout.Digest(input, digest), digest), signer, chain, digest, timestamper);
                    using var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                    layout.WriteSigned(input, output, signedData);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read the cabinet to sign it: {e.Message}", source), e);
                }
            },
            ErrorCodes.SignOutputFailed);
    }

    /// <summary>SpcIndirectDataContent for a cabinet: SPC_CAB_DATA with the SpcLink file choice "&lt;&lt;&lt;Obsolete&gt;&gt;&gt;", then the digest.</summary>
    private static byte[] IndirectDataContent(byte[] hash, HashAlgorithmName digest)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(CabData);
                AuthenticodeSigner.WriteObsoleteFileLink(writer);
            }

            AuthenticodeSigner.WriteDigestInfo(writer, hash, digest);
        }

        return writer.Encode();
    }
}
