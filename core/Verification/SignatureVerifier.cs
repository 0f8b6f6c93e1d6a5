using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Verification;

/// <summary>
/// What <c>signtool verify /pa</c> checks, and a driver package's catalog membership: the signature's math, the
/// signed digest against the file's Authenticode hash, and the signer's chain to trusted anchors.
/// </summary>
public static class SignatureVerifier
{
    /// <summary>
    /// Checks a file's own signature by what the file is: a cabinet (by content), a catalog (<c>.cat</c>), else a PE
    /// image. A file that is none of them has no signature of its own (WDK4002), a missing one is WDK3002.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyFile(string path, TrustOptions trust)
    {
        if (!File.Exists(path))
        {
            return new[] { Diagnostic.Error(ErrorCodes.FileUnreadable, "No such file.", path) };
        }

        return CabinetSigningLayout.IsCabinet(path) ? VerifyCabinet(path, trust)
            : CompoundFiles.CompoundFile.IsCompoundFile(path) ? VerifyInstaller(path, trust)
            : path.EndsWith(".cat", StringComparison.OrdinalIgnoreCase) ? VerifyCatalog(path, trust)
            : VerifyPe(path, trust) ?? new[] { Diagnostic.Error(ErrorCodes.SignInputInvalid, "This file is not a PE image, a catalog or a cabinet, so it has no signature to verify.", path) };
    }

    /// <summary>Checks a PE file's embedded signature; null when the file is not a PE image.</summary>
    public static IReadOnlyList<Diagnostic>? VerifyPe(string path, TrustOptions trust)
    {
        var image = Read(path);
        var layout = PeImage.TryRead(new MemoryStream(image, writable: false), path);
        if (layout is null)
        {
            return null;
        }

        if (!layout.IsSigned)
        {
            return new[] { Diagnostic.Error(ErrorCodes.NotSigned, "The PE image has no embedded signature.", path) };
        }

        var certificateLength = BitConverter.ToUInt32(image, (int)layout.CertificateTableOffset);
        if (certificateLength < 8 || certificateLength > layout.CertificateTableSize)
        {
            return new[] { Diagnostic.Error(ErrorCodes.SignatureInvalid, "The WIN_CERTIFICATE's length does not fit the certificate table.", path) };
        }

        // WinVerifyTrust reads an Authenticode signature only from a revision 2.0 WIN_CERTIFICATE of type
        // PKCS_SIGNED_DATA (the Authenticode PE format); osslsigncode refuses any other too.
        var revision = BitConverter.ToUInt16(image, (int)layout.CertificateTableOffset + 4);
        var type = BitConverter.ToUInt16(image, (int)layout.CertificateTableOffset + 6);
        if (revision != 0x0200 || type != 0x0002)
        {
            return new[] { Diagnostic.Error(ErrorCodes.SignatureInvalid, $"The WIN_CERTIFICATE is revision 0x{revision:X4}, type {type}: Windows reads a signature only from revision 0x0200 of type PKCS_SIGNED_DATA (2). Sign the file again.", path) };
        }

        var blob = image.AsSpan((int)layout.CertificateTableOffset + 8, (int)certificateLength - 8).ToArray();
        return Verify(blob, path, trust, info =>
        {
            if (OtherKind(info, Catalogs.CatalogOids.PeImageData, "a PE image", path) is { } other)
            {
                return other;
            }

            var (algorithm, signedDigest) = IndirectDataDigest(info.Content);
            var actual = FileDigest.Compute(new MemoryStream(image, writable: false), path, algorithm).Digest;
            return actual.SequenceEqual(signedDigest)
                ? null
                : Diagnostic.Error(ErrorCodes.DigestMismatch, $"The file's {algorithm.Name} image hash is not the one its signature signed: the file changed after signing.", path);
        });
    }

    /// <summary>Checks a cabinet's signature: the PKCS#7 blob its header reserve points at, and the cabinet's digest.</summary>
    public static IReadOnlyList<Diagnostic> VerifyCabinet(string path, TrustOptions trust)
    {
        try
        {
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            CabinetSigningLayout layout;
            try
            {
                layout = CabinetSigningLayout.Read(input, path, ErrorCodes.SignatureInvalid);
            }
            catch (WdkException e)
            {
                return new[] { e.Diagnostic };
            }

            if (layout.Signature is null)
            {
                return new[] { Diagnostic.Error(ErrorCodes.NotSigned, "The cabinet has no signature.", path) };
            }

            return Verify(layout.ReadSignature(input, path), path, trust, info =>
            {
                if (OtherKind(info, Catalogs.CatalogOids.CabData, "a cabinet", path) is { } other)
                {
                    return other;
                }

                var (algorithm, signedDigest) = IndirectDataDigest(info.Content);
                return layout.Digest(input, algorithm).AsSpan().SequenceEqual(signedDigest)
                    ? null
                    : Diagnostic.Error(ErrorCodes.DigestMismatch, $"The cabinet's {algorithm.Name} digest is not the one its signature signed: the cabinet changed after signing.", path);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read the file to verify it: {e.Message}", path), e);
        }
    }

    /// <summary>
    /// Checks an installer package's signature: the PKCS#7 in <c>\x05DigitalSignature</c>, of the MSI SIP's kind, and
    /// the digest of every stream (prefixed by <c>\x05MsiDigitalSignatureEx</c> where there is one) and the root's class id.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyInstaller(string path, TrustOptions trust)
    {
        CompoundFiles.CompoundFile package;
        try
        {
            package = Installer.InstallerSigner.Read(path);
        }
        catch (WdkException e)
        {
            return new[] { e.Diagnostic };
        }

        if (package.Streams.FirstOrDefault(s => s.Name == Installer.InstallerSigner.SignatureStream) is not { } signature)
        {
            return new[] { Diagnostic.Error(ErrorCodes.NotSigned, "The installer package has no signature.", path) };
        }

        var prefix = package.Streams.FirstOrDefault(s => s.Name == Installer.InstallerSigner.SignatureExStream)?.Data ?? Array.Empty<byte>();
        return Verify(signature.Data, path, trust, info =>
        {
            if (info.ContentType.Value != Catalogs.CatalogOids.IndirectData || !Installer.InstallerSigner.IsInstallerIndirectData(info.Content))
            {
                return Diagnostic.Error(ErrorCodes.SignatureInvalid, "The signature is not an installer package's (its indirect data is not the MSI SIP's).", path);
            }

            var (algorithm, signedDigest) = IndirectDataDigest(info.Content);
            // The metadata pre-hash is recomputed, not taken as stored: what it covers must not change either.
            if (prefix.Length > 0 && !Installer.InstallerSigner.MetadataPrehash(package, algorithm).AsSpan().SequenceEqual(prefix))
            {
                return Diagnostic.Error(ErrorCodes.DigestMismatch, $"The package's {algorithm.Name} metadata hash (\\x05MsiDigitalSignatureEx) is not its metadata's: a stream's name, size, state bits or times, or the root's class id, changed after signing.", path);
            }

            return Installer.InstallerSigner.ContentDigest(package.Streams, package.RootClassId, algorithm, prefix).AsSpan().SequenceEqual(signedDigest)
                ? null
                : Diagnostic.Error(ErrorCodes.DigestMismatch, $"The package's {algorithm.Name} digest is not the one its signature signed: a stream changed after signing.", path);
        });
    }

    /// <summary>Checks a catalog's own signature, which signs a certificate trust list (szOID_CTL), the only content the catalog SIP takes.</summary>
    public static IReadOnlyList<Diagnostic> VerifyCatalog(string path, TrustOptions trust) =>
        Verify(Read(path), path, trust, info => info.ContentType.Value == Catalogs.CatalogOids.Ctl
            ? null
            : Diagnostic.Error(ErrorCodes.SignatureInvalid, $"The signature is not a catalog's: it signs content of type {info.ContentType.Value}, not a certificate trust list ({Catalogs.CatalogOids.Ctl}).", path));

    private static IReadOnlyList<Diagnostic> Verify(byte[] blob, string path, TrustOptions trust, Func<ContentInfo, Diagnostic?> checkContent)
    {
        var cms = new SignedCms();
        try
        {
            AsnDecoder.ReadEncodedValue(blob, AsnEncodingRules.BER, out _, out _, out var length);
            cms.Decode(blob.AsSpan(0, length).ToArray());
            if (cms.SignerInfos.Count != 1)
            {
                return new[] { Diagnostic.Error(ErrorCodes.SignatureInvalid, $"The signature has {cms.SignerInfos.Count} signers; Authenticode has one.", path) };
            }

            WithoutCountersignatures(blob, length).CheckSignature(verifySignatureOnly: true);
            if (checkContent(cms.ContentInfo) is { } mismatch)
            {
                return new[] { mismatch };
            }
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or InvalidDataException)
        {
            return new[] { Diagnostic.Error(ErrorCodes.SignatureInvalid, $"The signature does not verify: {e.Message}", path) };
        }

        if (cms.SignerInfos[0].Certificate is not { } signer)
        {
            return new[] { Diagnostic.Error(ErrorCodes.SignatureInvalid, "The signature does not include its signer's certificate.", path) };
        }

        try
        {
            return SignerTrust.Judge(cms, path, trust) is { } problem ? new[] { problem } : Array.Empty<Diagnostic>();
        }
        catch (CryptographicException e)
        {
            // A certificate whose extensions do not decode (found by fuzzing the verifier).
            return new[] { Diagnostic.Error(ErrorCodes.ChainUntrusted, $"The signer's certificate '{signer.Subject}' cannot be read: {e.Message}", path) };
        }
    }

    /// <summary>
    /// The signature without its legacy countersignatures, for checking the signer's own signature: SignedCms checks
    /// countersignatures too and refuses the bare-digest ones of old authorities, which Windows accepts. They are
    /// judged as time stamps instead (<see cref="Countersignature"/>).
    /// </summary>
    private static SignedCms WithoutCountersignatures(byte[] blob, int length)
    {
        var copy = new SignedCms();
        copy.Decode(blob.AsSpan(0, length).ToArray());
#if !NETFRAMEWORK
        // (.NET Framework's package cannot remove attributes: there a bare-digest countersignature fails the check.)
        var signer = copy.SignerInfos[0];
        foreach (var attribute in signer.UnsignedAttributes.Cast<CryptographicAttributeObject>().Where(a => a.Oid.Value == Countersignature.AttributeOid).ToList())
        {
            signer.RemoveUnsignedAttribute(new AsnEncodedData(attribute.Oid, attribute.Values[0].RawData));
        }
#endif
        return copy;
    }

    /// <summary>
    /// A signature for another kind of file (a cabinet's on a PE image): each SIP takes only indirect data of its own
    /// kind, SPC_PE_IMAGE_DATA for a PE image, SPC_CAB_DATA for a cabinet. Null when the kind is the expected one.
    /// </summary>
    private static Diagnostic? OtherKind(ContentInfo info, string expected, string kind, string path) =>
        info.ContentType.Value != Catalogs.CatalogOids.IndirectData
            ? Diagnostic.Error(ErrorCodes.SignatureInvalid, $"The signature is not {kind}'s: it signs content of type {info.ContentType.Value}, not Authenticode's indirect data ({Catalogs.CatalogOids.IndirectData}).", path)
            : IndirectDataType(info.Content) is var type && type == expected
            ? null
            : Diagnostic.Error(ErrorCodes.SignatureInvalid, $"The signature is not {kind}'s: its indirect data is of type {type}, not {expected}.", path);

    /// <summary>The SpcIndirectDataContent's sequences (given whole or as its contents).</summary>
    private static AsnReader IndirectData(byte[] content)
    {
        // The whole SEQUENCE starts with the data SEQUENCE; its contents start with the data's OID.
        var probe = new AsnReader(content, AsnEncodingRules.BER).ReadSequence();
        return probe.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence)
            ? new AsnReader(content, AsnEncodingRules.BER).ReadSequence()
            : new AsnReader(content, AsnEncodingRules.BER);
    }

    /// <summary>The type of the data an SpcIndirectDataContent describes (SPC_PE_IMAGE_DATA, SPC_CAB_DATA, ...).</summary>
    private static string IndirectDataType(byte[] content) => IndirectData(content).ReadSequence().ReadObjectIdentifier();

    /// <summary>The digest algorithm and digest of an SpcIndirectDataContent (given whole or as its contents).</summary>
    private static (HashAlgorithmName Algorithm, byte[] Digest) IndirectDataDigest(byte[] content)
    {
        var indirect = IndirectData(content);
        indirect.ReadSequence();
        var digestInfo = indirect.ReadSequence();
        var oid = digestInfo.ReadSequence().ReadObjectIdentifier();
        var algorithm = DigestAlgorithms.FromOid(oid) ?? throw new InvalidDataException($"unknown digest algorithm {oid}");
        return (algorithm, digestInfo.ReadOctetString());
    }

    private static byte[] Read(string path) => FileBytes.Read(path, "the file to verify it");
}
