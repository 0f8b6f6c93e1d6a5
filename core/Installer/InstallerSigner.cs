using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;
using WdkDriver.Core.Signing;

namespace WdkDriver.Core.Installer;

/// <summary>
/// An installer package's Authenticode signature, as signtool and osslsigncode make it: a PKCS#7 in the root stream
/// <c>\x05DigitalSignature</c> over an SpcIndirectDataContent of type SPC_SIPINFO (the MSI SIP) whose digest covers
/// every stream's content, in the byte order of their UTF-16 names, then the root's class id. A signed package is
/// signed again from its streams: signing replaces, never nests.
/// </summary>
public static class InstallerSigner
{
    public const string SignatureStream = "\u0005DigitalSignature";
    public const string SignatureExStream = "\u0005MsiDigitalSignatureEx";
    private const string SipInfo = "1.3.6.1.4.1.311.2.1.30";
    private static readonly byte[] MsiSip = new Guid("000C10F1-0000-0000-C000-000000000046").ToByteArray();

    /// <summary>Writes the signed form of the package <paramref name="source"/> to <paramref name="destination"/> (never half-written; the two may be one file).</summary>
    public static void Sign(string source, string destination, SigningKey signer, IReadOnlyList<X509Certificate2> chain, HashAlgorithmName digest, ITimestamper? timestamper = null)
    {
        var package = Read(source);
        var streams = package.Streams.Where(s => s.Name is not (SignatureStream or SignatureExStream)).ToList();
        var signedData = AuthenticodeSigner.SignIndirectData(SipInfo, WriteSipInfo, ContentDigest(streams, package.RootClassId, digest, Array.Empty<byte>()), signer, chain, digest, timestamper);
        streams.Add(new CompoundFileStream(SignatureStream, signedData));
        AtomicFile.Write(destination, CompoundFileWriter.Write(streams, package.RootClassId), ErrorCodes.SignOutputFailed);
    }

    /// <summary>A package to sign or verify; one with storages below its root (an embedded transform) is not one this signs.</summary>
    public static CompoundFile Read(string path)
    {
        var package = CompoundFile.Read(path);
        return package.HasStorages
            ? throw new WdkException(Diagnostic.Error(ErrorCodes.SignInputInvalid, "The installer package holds storages (embedded transforms or nested installs): their signature is not supported here.", path))
            : package;
    }

    /// <summary>
    /// The digest an installer package's signature holds: after <paramref name="prefix"/> (the MsiDigitalSignatureEx
    /// pre-hash, when a package has one), each stream's content in the byte order of its UTF-16LE name with its NUL,
    /// then the root's class id. The signature streams themselves are not covered.
    /// </summary>
    public static byte[] ContentDigest(IEnumerable<CompoundFileStream> streams, Guid rootClassId, HashAlgorithmName digest, byte[] prefix)
    {
        using var hash = IncrementalHash.CreateHash(digest);
        hash.AppendData(prefix);
        foreach (var stream in streams.Where(s => s.Name is not (SignatureStream or SignatureExStream)).OrderBy(s => Encoding.Unicode.GetBytes(s.Name + "\0"), ByteOrder.Instance))
        {
            hash.AppendData(stream.Data);
        }

        hash.AppendData(rootClassId.ToByteArray());
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// What <c>\x05MsiDigitalSignatureEx</c> holds: the hash of the package's metadata, the root's class id and state
    /// bits, then for each stream in the content digest's order its name (UTF-16LE, no NUL), the low 32 bits of its
    /// size, its state bits and its two times, as osslsigncode and signify compute it.
    /// </summary>
    public static byte[] MetadataPrehash(CompoundFile package, HashAlgorithmName digest)
    {
        using var hash = IncrementalHash.CreateHash(digest);
        hash.AppendData(package.RootClassId.ToByteArray());
        hash.AppendData(BitConverter.GetBytes(package.RootStateBits));
        foreach (var stream in package.Streams.Where(s => s.Name is not (SignatureStream or SignatureExStream)).OrderBy(s => Encoding.Unicode.GetBytes(s.Name + "\0"), ByteOrder.Instance))
        {
            hash.AppendData(Encoding.Unicode.GetBytes(stream.Name));
            hash.AppendData(BitConverter.GetBytes((uint)stream.Data.Length));
            hash.AppendData(BitConverter.GetBytes(stream.StateBits));
            hash.AppendData(BitConverter.GetBytes(stream.Created));
            hash.AppendData(BitConverter.GetBytes(stream.Modified));
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Whether an SpcIndirectDataContent is the MSI SIP's (SPC_SIPINFO with the MSI SIP's GUID).</summary>
    public static bool IsInstallerIndirectData(byte[] content)
    {
        try
        {
            // Given whole (a SEQUENCE whose first element is the data SEQUENCE) or as its contents.
            var probe = new AsnReader(content, AsnEncodingRules.BER).ReadSequence();
            var indirect = probe.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence) ? new AsnReader(content, AsnEncodingRules.BER).ReadSequence() : new AsnReader(content, AsnEncodingRules.BER);
            var data = indirect.ReadSequence();
            if (data.ReadObjectIdentifier() != SipInfo)
            {
                return false;
            }

            var info = data.ReadSequence();
            info.ReadInteger();
            return info.ReadOctetString().AsSpan().SequenceEqual(MsiSip);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>SPC_SIPINFO's value for an installer: {1, the MSI SIP's GUID, five zeros}.</summary>
    private static void WriteSipInfo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(MsiSip);
            for (var i = 0; i < 5; i++)
            {
                writer.WriteInteger(0);
            }
        }
    }
}
