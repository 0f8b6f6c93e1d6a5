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
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;
using WdkDriver.Core.Inf;
using WdkDriver.Core.Packaging;
using WdkDriver.Core.Signing;

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

    /// <summary>
    /// Checks a driver package given as its files: each catalog's signature, every INF and every file the INFs copy
    /// being a member of a catalog with the right digest, and the embedded signature of every PE file. A PE file its
    /// signed catalog vouches for needs no embedded signature (Windows loads it by the catalog), except the binary of
    /// a boot-start service, which Windows loads before it can read catalogs. With <see cref="TrustOptions.Microsoft"/>
    /// an embedded signature must be intact, whoever it chains to.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyPackage(IReadOnlyDictionary<string, string> packageFiles, TrustOptions trust)
    {
        var findings = new List<Diagnostic>();
        var catalogs = packageFiles.Where(f => f.Key.EndsWith(".cat", StringComparison.OrdinalIgnoreCase)).ToList();
        if (catalogs.Count == 0)
        {
            var folder = packageFiles.Values.Select(Path.GetDirectoryName).FirstOrDefault();
            findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, $"The driver package{(folder is null ? string.Empty : $" in '{folder}'")} has no catalog (.cat) to vouch for its files.", folder));
        }

        var members = new CatalogMembers();
        var byCatalog = new Dictionary<string, CatalogMembers>(StringComparer.OrdinalIgnoreCase);
        var targets = new List<OsTarget>();
        foreach (var catalog in catalogs)
        {
            findings.AddRange(VerifyCatalog(catalog.Value, trust));
            var info = members.Add(catalog.Value);
            byCatalog[catalog.Key] = new CatalogMembers();
            byCatalog[catalog.Key].Add(catalog.Value);
            targets.AddRange(OsTarget.FromTokens(info.Attributes.FirstOrDefault(a => a.Key == "OS").Value ?? string.Empty));
        }

        if (catalogs.Count > 0)
        {
            // Windows checks each INF's files against the catalog the INF names (CatalogFile), not any catalog of the package.
            var osTargets = targets.Count > 0 ? targets : OsTarget.ParseList("10_X64");
            foreach (var named in CatalogContents.CatalogNames(packageFiles, osTargets))
            {
                var inf = packageFiles[named.Key];
                if (named.Value is null)
                {
                    findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, $"{Path.GetFileName(inf)} names no catalog (CatalogFile in [Version]), so Windows takes its package as unsigned: stamp the INF with its catalog's name.", inf));
                    continue;
                }

                if (!byCatalog.TryGetValue(named.Value, out var own))
                {
                    findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, $"{Path.GetFileName(inf)} names the catalog {named.Value} (CatalogFile), which the package does not hold.", inf));
                    continue;
                }

                var contents = CatalogContents.Resolve(packageFiles, osTargets, DateTime.UtcNow, new[] { named.Key });
                foreach (var file in contents.Files.Where(f => !own.Contains(f.Path)))
                {
                    findings.Add(Diagnostic.Error(
                        ErrorCodes.NotCatalogMember,
                        members.Contains(file.Path)
                            ? $"{file.Name} is in another catalog of the package, not in {named.Value}, the one {Path.GetFileName(inf)} names (CatalogFile): Windows checks it against that one."
                            : $"{file.Name} is not in {named.Value} with its present digest: it changed after the catalog was made, or the catalog is not this package's.",
                        file.Path));
                }
            }
        }

        // Windows loads a Microsoft-signed driver by its catalog: an embedded signature (the vendor's, say) must be
        // intact where there is one, but whom it chains to does not matter.
        var embeddedTrust = trust.Microsoft ? trust with { Microsoft = false, IgnoreChain = true } : trust;
        var bootStart = BootStartBinaries(packageFiles);
        foreach (var file in packageFiles.Where(f => !f.Key.EndsWith(".cat", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var finding in VerifyPe(file.Value, embeddedTrust) ?? Array.Empty<Diagnostic>())
            {
                var bootStartBinary = bootStart.Contains(Path.GetFileName(file.Key));
                if (finding.Code != ErrorCodes.NotSigned || (!members.Contains(file.Value) && !trust.Microsoft))
                {
                    findings.Add(finding);
                }
                else if (bootStartBinary)
                {
                    findings.Add(Diagnostic.Error(ErrorCodes.NotSigned, $"{Path.GetFileName(file.Key)} is the binary of a boot-start service (StartType = 0): Windows loads it before it reads catalogs, so it must carry an embedded signature of its own. Sign it, not only the catalog.", file.Value));
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// Checks a file against a catalog, as <c>signtool verify /c</c> does: the catalog's signature, and the file being
    /// one of its members with its present digest; a member needs no signature of its own, but one it has must verify.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyWithCatalog(string path, string catalog, TrustOptions trust)
    {
        if (!File.Exists(path))
        {
            return new[] { Diagnostic.Error(ErrorCodes.FileUnreadable, "No such file.", path) };
        }

        var findings = VerifyCatalog(catalog, trust).ToList();
        var members = new CatalogMembers();
        members.Add(catalog);
        var member = members.Contains(path);
        if (!member)
        {
            findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, $"{Path.GetFileName(path)} is not a member of {Path.GetFileName(catalog)} with its present digest.", path));
        }

        findings.AddRange(VerifyFile(path, trust).Where(f => !(member && f.Code is ErrorCodes.NotSigned or ErrorCodes.SignInputInvalid)));
        return findings;
    }

    /// <summary>The file names of the binaries of the INFs' boot-start services (StartType 0).</summary>
    private static HashSet<string> BootStartBinaries(IReadOnlyDictionary<string, string> packageFiles)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var inf in packageFiles.Where(f => f.Key.EndsWith(".inf", StringComparison.OrdinalIgnoreCase)))
        {
            var document = InfDocument.Load(inf.Value);
            var strings = new InfStrings(document);
            foreach (var service in InfService.All(document, strings).Where(s => s.FileName.Length > 0))
            {
                var start = strings.Resolve(service.Install.First("StartType")?.Value ?? string.Empty).Trim();
                if (start == "0" || start.Equals("0x0", StringComparison.OrdinalIgnoreCase) || start.Equals("0x00000000", StringComparison.OrdinalIgnoreCase))
                {
                    names.Add(service.FileName);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// Verifies a package tree as the SDK lays it out and packs it: every <c>driver/&lt;arch&gt;/</c> folder as a
    /// driver package, and every other PE file (the client) by its embedded signature.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyPackageTree(string root, TrustOptions trust)
    {
        var findings = new List<Diagnostic>();
        var driverRoot = Path.Combine(root, "driver");
        var driverFolders = Directory.Exists(driverRoot) ? Directory.GetDirectories(driverRoot).OrderBy(d => d, StringComparer.Ordinal).ToList() : new List<string>();
        if (driverFolders.Count == 0)
        {
            findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, "The package has no driver/<arch>/ folder to verify.", root));
        }

        foreach (var folder in driverFolders)
        {
            findings.AddRange(VerifyPackage(CatalogContents.FolderFiles(folder), trust));
        }

        var others = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !driverFolders.Any(d => f.StartsWith(d + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .OrderBy(f => f, StringComparer.Ordinal);
        // The client is the vendor's to sign, not Microsoft's.
        foreach (var file in others)
        {
            findings.AddRange(VerifyPe(file, trust with { Microsoft = false }) ?? Array.Empty<Diagnostic>());
        }

        return findings;
    }

    /// <summary>
    /// Verifies a package archive as <c>dotnet pack</c> writes it (a .nupkg, or the .zip beside it): unpacked into a
    /// scratch folder, then as <see cref="VerifyPackageTree"/>; findings name the entry as <c>archive!path</c>.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyArchive(string archive, TrustOptions trust)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "wdkdriver-verify-" + Guid.NewGuid().ToString("N"));
        try
        {
            ArchiveExtraction.Extract(archive, scratch, ErrorCodes.SignInputInvalid);
            var root = Path.GetFullPath(scratch) + Path.DirectorySeparatorChar;
            return VerifyPackageTree(scratch, trust)
                .Select(d => d.File is { } file && file.StartsWith(root, StringComparison.Ordinal)
                    ? d with { File = archive + "!" + file.Substring(root.Length).Replace('\\', '/') }
                    : d.File is { } folder && Path.GetFullPath(folder) + Path.DirectorySeparatorChar == root ? d with { File = archive } : d)
                .ToList();
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>Whether a file is a zip archive (a .nupkg or a .zip), by its first bytes.</summary>
    public static bool IsArchive(string path)
    {
        using var stream = File.OpenRead(path);
        var magic = new byte[4];
        return stream.Read(magic, 0, 4) == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] == 3 && magic[3] == 4;
    }

    /// <param name="checkContent">The content's own check (its type, its digest against the file's); null when it holds.</param>
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
