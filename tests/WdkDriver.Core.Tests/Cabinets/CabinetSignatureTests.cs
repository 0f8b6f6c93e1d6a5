using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;
using Xunit.Abstractions;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Cabinets;

/// <summary>
/// Cabinet signatures against osslsigncode, which implements signtool's format independently: it verifies ours, we
/// verify its, its remove-signature gives back our unsigned cabinet, and gcab and cabextract still read a signed one.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class CabinetSignatureTests : IDisposable
{
    private static readonly DateTime Time = new(2026, 11, 30, 12, 0, 0);
    private readonly TempDirectory temp = new("cabsign");
    private readonly X509Certificate2 certificate = TestCertificate.Create("CN=Cabinet signing test", DateTimeOffset.UtcNow);
    private readonly ITestOutputHelper output;

    public CabinetSignatureTests(ITestOutputHelper output)
    {
        this.output = output;
        File.WriteAllText(temp.Combine("signer.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(temp.Combine("signer.key"), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        certificate.Dispose();
        temp.Dispose();
    }

    /// <summary>An unsigned cabinet of a driver-like folder with two folders' worth of awkward files (several CFDATA blocks).</summary>
    private string UnsignedCabinet(string name = "unsigned.cab", int noise = 70_000)
    {
        var random = new Random(16);
        var bytes = new byte[noise];
        random.NextBytes(bytes);
        temp.Write("in/Driver/driver.inf", string.Concat(Enumerable.Range(0, 500).Select(i => $"HKR,,V{i},,{i}\r\n")));
        File.WriteAllBytes(temp.Combine("in", "Driver", "driver.sys"), bytes);
        temp.Write("in/Driver/empty.txt", "");
        var sources = Directory.EnumerateFiles(temp.Combine("in"), "*", SearchOption.AllDirectories)
            .Select(f => new CabinetSource(Path.GetRelativePath(temp.Combine("in"), f), f)).ToList();
        var path = temp.Combine(name);
        CabinetWriter.Write(path, sources, CabinetCompression.MsZip, Time);
        return path;
    }

    private IReadOnlyList<Diagnostic> Verify(string path) => SignatureVerifier.VerifyCabinet(path, new TrustOptions(new[] { certificate }));

    private (int ExitCode, string Output) Osslsigncode(params string[] arguments) => ToolProcess.Run(temp.Path, "osslsigncode", arguments);

    [CabSigningFact]
    public void Osslsigncode_gcab_and_cabextract_accept_our_signed_cabinet_and_remove_signature_gives_back_the_unsigned_bytes()
    {
        var unsigned = UnsignedCabinet();
        var signed = temp.Combine("signed.cab");

        CabinetSigner.Sign(unsigned, signed, certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);

        var (verified, said) = Osslsigncode("verify", "-CAfile", "signer.pem", "-in", signed);
        Assert.True(verified == 0, said);
        Assert.Contains("Signature verification: ok", said);
        Assert.Empty(Verify(signed));
        ToolProcess.Succeed(temp.Path, "gcab", "-x", "-C", temp.Combine("gcab"), signed);
        Assert.Equal(File.ReadAllBytes(temp.Combine("in", "Driver", "driver.sys")), File.ReadAllBytes(temp.Combine("gcab", "Driver", "driver.sys")));
        var (tested, testOutput) = ToolProcess.Run(temp.Path, "cabextract", new[] { "-t", signed });
        Assert.True(tested == 0, testOutput);
        using (var cabinet = Cabinet.Open(signed))
        {
            cabinet.Test();
            Assert.Equal(((long)new FileInfo(unsigned).Length + 24, new FileInfo(signed).Length - new FileInfo(unsigned).Length - 24), cabinet.Signature);
        }

        // The layout of cab.md §3.2: 24 bytes inserted at 0x24, the blob padded to 8 after cbCabinet.
        var bytes = File.ReadAllBytes(signed);
        var original = File.ReadAllBytes(unsigned);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(original.AsSpan(8)) + 24u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(new byte[] { 0x14, 0, 0, 0, 0, 0, 0x10, 0 }, bytes.AsSpan(0x24, 8).ToArray());
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(0x30)) % 8);

        ToolProcess.Succeed(temp.Path, "osslsigncode", "remove-signature", "-in", signed, "-out", "removed.cab");
        Assert.Equal(original, File.ReadAllBytes(temp.Combine("removed.cab")));
    }

    [CabSigningFact]
    public void We_verify_osslsigncodes_signature_and_both_sign_the_same_cabinet_bytes()
    {
        var unsigned = UnsignedCabinet();
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-h", "sha256", "-certs", "signer.pem", "-key", "signer.key", "-time", "1764460800", "-in", unsigned, "-out", "theirs.cab");
        CabinetSigner.Sign(unsigned, temp.Combine("ours.cab"), certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);

        Assert.Empty(Verify(temp.Combine("theirs.cab")));
        var theirs = File.ReadAllBytes(temp.Combine("theirs.cab"));
        var ours = File.ReadAllBytes(temp.Combine("ours.cab"));
        var cabinetSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(ours.AsSpan(8));
        Assert.Equal(cabinetSize, (int)BinaryPrimitives.ReadUInt32LittleEndian(theirs.AsSpan(8)));
        // Everything but the signature's length (the two blobs differ: osslsigncode adds a signing time) is the same.
        Assert.Equal(theirs.AsSpan(0, 0x30).ToArray(), ours.AsSpan(0, 0x30).ToArray());
        Assert.Equal(theirs.AsSpan(0x34, cabinetSize - 0x34).ToArray(), ours.AsSpan(0x34, cabinetSize - 0x34).ToArray());
        Assert.Equal(IndirectData(theirs), IndirectData(ours));
    }

    /// <summary>The SpcIndirectDataContent a cabinet's signature signs.</summary>
    private static byte[] IndirectData(byte[] cabinet)
    {
        // The blob's offset and padded length from the header reserve; SignedCms reads the DER and ignores the padding.
        // (Trimming trailing zeros would cut a signature that ends in a zero byte, one run in 256.)
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(cabinet.AsSpan(0x2C));
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(cabinet.AsSpan(0x30));
        var cms = new SignedCms();
        cms.Decode(cabinet.AsSpan(offset, length).ToArray());
        return cms.ContentInfo.Content;
    }

    [CabSigningFact]
    public void The_signed_content_is_cab_md_s_SpcLink_form_with_the_cabinets_SHA256()
    {
        var signed = temp.Combine("signed.cab");
        CabinetSigner.Sign(UnsignedCabinet(), signed, certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        var (_, said) = Osslsigncode("verify", "-CAfile", "signer.pem", "-in", signed);
        var digest = Convert.FromHexString(said.Split('\n').Single(l => l.StartsWith("Calculated message digest", StringComparison.Ordinal)).Split(':')[1].Trim().Replace(" ", ""));

        var expected = Convert.FromHexString(
            "302C060A2B060104018237020119A21E801C003C003C003C004F00620073006F006C006500740065003E003E003E"
            + "3031300D0609608648016503040201050004" + "20").Concat(digest).ToArray();
        var content = IndirectData(File.ReadAllBytes(signed));
        // SignedCms gives the content's value (PKCS#7 style) or the whole SEQUENCE; both end with the 97 bytes above.
        Assert.Equal(expected, content.AsSpan(content.Length - expected.Length).ToArray());
        Assert.Equal(97, expected.Length);
    }

    [Fact]
    public void Re_signing_replaces_the_signature_and_in_place_signing_leaves_no_trace()
    {
        var unsigned = UnsignedCabinet();
        var once = temp.Combine("once.cab");
        CabinetSigner.Sign(unsigned, once, certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        var twice = temp.Combine("twice.cab");
        File.Copy(once, twice);

        CabinetSigner.Sign(twice, twice, certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);

        // Our signature has no signing time, so the same key gives the same bytes: nothing nested, nothing appended.
        Assert.Equal(File.ReadAllBytes(once), File.ReadAllBytes(twice));
        Assert.Empty(Verify(twice));
        using var other = TestCertificate.Create("CN=Another signer", DateTimeOffset.UtcNow);
        CabinetSigner.Sign(twice, twice, other, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        Assert.Empty(SignatureVerifier.VerifyCabinet(twice, new TrustOptions(new[] { other })));
        Assert.Equal("WDK4013", Assert.Single(Verify(twice)).Code);
        // No temporary file is left beside the cabinets signed in place.
        Assert.Equal(new[] { "once.cab", "signer.key", "signer.pem", "twice.cab", "unsigned.cab" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_byte_the_digest_covers_flipped_once_is_caught_and_the_others_are_judged_as_osslsigncode_does()
    {
        // Stored and small, so that every byte can be tried.
        temp.Write("small/Driver/a.inf", "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\n");
        temp.Write("small/Driver/b.sys", new string('x', 300));
        var unsigned = temp.Combine("small.cab");
        CabinetWriter.Write(unsigned, new[] { new CabinetSource("Driver\\a.inf", temp.Combine("small", "Driver", "a.inf")), new CabinetSource("Driver\\b.sys", temp.Combine("small", "Driver", "b.sys")) }, CabinetCompression.None, Time);
        var signed = temp.Combine("signed.cab");
        CabinetSigner.Sign(unsigned, signed, certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        var original = File.ReadAllBytes(signed);
        var cabinetSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(original.AsSpan(8));
        var covered = Enumerable.Range(0, 4).Concat(Enumerable.Range(8, 0x22 - 8)).Concat(Enumerable.Range(0x38, cabinetSize - 0x38)).ToList();

        var missed = covered.Where(position => !Caught(original, signed, position)).ToList();

        output.WriteLine($"{covered.Count} covered bytes flipped, {missed.Count} not caught");
        Assert.Empty(missed);
        // Outside the digest: iCabinet is not covered (a single cabinet's is zero, and changing it leaves the signature
        // valid, as with osslsigncode); the reserve's marker, offset and length locate the signature, so a change
        // there makes the signature unreadable.
        Assert.False(Caught(original, signed, 0x22));
        Assert.All(Enumerable.Range(0x28, 12), position => Assert.True(Caught(original, signed, position)));
        File.WriteAllBytes(signed, original);
        Assert.Empty(Verify(signed));
    }

    private bool Caught(byte[] original, string path, int position)
    {
        var changed = (byte[])original.Clone();
        changed[position] ^= 0x5A;
        File.WriteAllBytes(path, changed);
        try
        {
            return Verify(path).Count > 0;
        }
        catch (WdkException)
        {
            return true;
        }
    }

    [Fact]
    public void Cabinets_a_signature_cannot_sit_in_are_refused_with_a_coded_error_and_nothing_written()
    {
        var unsigned = File.ReadAllBytes(UnsignedCabinet());
        var set = (byte[])unsigned.Clone();
        set[0x1E] |= 0x02; // one of a set: cbCabinet no longer ends the file's data
        var otherReserve = unsigned.Take(0x24).Concat(new byte[] { 4, 0, 0, 0, 1, 2, 3, 4 }).Concat(unsigned.Skip(0x24)).ToArray();
        otherReserve[0x1E] |= 0x04;
        foreach (var (name, bytes, reason) in new[] { ("set.cab", set, "set of cabinets"), ("reserve.cab", otherReserve, "not an Authenticode signature's"), ("short.cab", unsigned.Take(30).ToArray(), "ends inside its header") })
        {
            File.WriteAllBytes(temp.Combine(name), bytes);
            var error = Assert.Throws<WdkException>(() => CabinetSigner.Sign(temp.Combine(name), temp.Combine("out-" + name), certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));
            Assert.Equal("WDK4002", error.Diagnostic.Code);
            Assert.Contains(reason, error.Diagnostic.Message);
            Assert.False(File.Exists(temp.Combine("out-" + name)));
        }

        Assert.Equal("WDK4010", Assert.Single(Verify(temp.Combine("unsigned.cab"))).Code);
        var signed = temp.Combine("signed.cab");
        CabinetSigner.Sign(temp.Combine("unsigned.cab"), signed, certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        var cut = File.ReadAllBytes(signed);
        File.WriteAllBytes(signed, cut.Take(cut.Length - 100).ToArray());
        Assert.Equal("WDK4011", Assert.Single(Verify(signed)).Code);
    }
}
