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
                    // SPC_CAB_DATA's value is the SpcLink file choice "<<<Obsolete>>>".
                    var signedData = AuthenticodeSigner.SignIndirectData(Catalogs.CatalogOids.CabData, AuthenticodeSigner.WriteObsoleteFileLink, layout.Digest(input, digest), signer, chain, digest, timestamper);
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
}
