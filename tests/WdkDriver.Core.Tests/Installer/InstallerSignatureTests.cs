using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.Installer;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Installer;

/// <summary>
/// An installer package's Authenticode signature, both ways with osslsigncode: it verifies ours, we verify its; a
/// changed byte in any stream, the summary included, is refused; a package wixl built signs and verifies too.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class InstallerSignatureTests : IDisposable
{
    private static readonly Lazy<X509Certificate2> Signer = new(() => TestCertificate.Create("CN=Installer signer", DateTimeOffset.UtcNow));
    private readonly TempDirectory temp = new("msi-sign");

    public void Dispose() => temp.Dispose();

    private static TrustOptions Trust => new(new[] { X509CertificateLoader.LoadCertificate(Signer.Value.RawData) });

    private string Package()
    {
        var path = temp.Combine("unsigned.msi");
        File.WriteAllBytes(path, InstallerDatabase.Write(
            new[] { new InstallerTable("Property", new[] { InstallerColumn.S("Property", 72, key: true), InstallerColumn.L("Value", 0) }, new[] { new object?[] { "ProductName", "Signed" }, new object?[] { "Manufacturer", "Contoso" } }) },
            new[] { new CompoundFileStream(InstallerStreamName.Encode("cab1.cab"), new byte[5000]) },
            new SummaryInformation("Signed", "Contoso", "x64;1033", Guid.Empty, DateTimeOffset.UnixEpoch)));
        File.WriteAllText(temp.Combine("signer.pem"), Signer.Value.ExportCertificatePem());
        File.WriteAllText(temp.Combine("signer.key"), Signer.Value.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return path;
    }

    [OsslsigncodeFact]
    public void Osslsigncode_verifies_our_signature_and_we_verify_its()
    {
        var package = Package();
        var ours = temp.Combine("ours.msi");
        using (var signer = FileSigner.WithCertificate(Signer.Value))
        {
            signer.Sign(package, ours, HashAlgorithmName.SHA256, CancellationToken.None);
        }

        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", "signer.pem", "-key", "signer.key", "-h", "sha256", "-in", package, "-out", "theirs.msi");

        ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-CAfile", "signer.pem", "-in", ours);
        Assert.Empty(SignatureVerifier.VerifyFile(ours, Trust));
        Assert.Empty(SignatureVerifier.VerifyFile(temp.Combine("theirs.msi"), Trust));
        // Re-signing replaces the signature.
        using (var signer = FileSigner.WithCertificate(Signer.Value))
        {
            signer.Sign(ours, ours, HashAlgorithmName.SHA256, CancellationToken.None);
        }

        Assert.Single(CompoundFile.Read(ours).Streams, s => s.Name == InstallerSigner.SignatureStream);
        Assert.Empty(SignatureVerifier.VerifyFile(ours, Trust));
    }

    /// <summary>
    /// osslsigncode's -add-msi-dse writes \x05MsiDigitalSignatureEx, the hash of the package's metadata, and signs it
    /// with the content: the verifier recomputes it from the file, so a state bit changed in a directory entry (no
    /// stream's bytes change) breaks the signature, as osslsigncode finds too.
    /// </summary>
    [OsslsigncodeFact]
    public void The_metadata_hash_is_recomputed_from_the_file_not_taken_as_stored()
    {
        var package = Package();
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", "signer.pem", "-key", "signer.key", "-h", "sha256", "-add-msi-dse", "-in", package, "-out", "dse.msi");
        Assert.Contains(CompoundFile.Read(temp.Combine("dse.msi")).Streams, s => s.Name == InstallerSigner.SignatureExStream);
        Assert.Empty(SignatureVerifier.VerifyFile(temp.Combine("dse.msi"), Trust));

        var bytes = File.ReadAllBytes(temp.Combine("dse.msi"));
        var entry = bytes.AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes(SummaryInformation.StreamName + "\0"));
        Assert.True(entry > 0 && entry % 128 == 0, "the summary stream's directory entry");
        bytes[entry + 0x60] ^= 0x01;
        File.WriteAllBytes(temp.Combine("tampered.msi"), bytes);

        var (code, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "signer.pem", "-in", "tampered.msi" });
        Assert.True(code != 0, output);
        var finding = Assert.Single(SignatureVerifier.VerifyFile(temp.Combine("tampered.msi"), Trust));
        Assert.Equal("WDK4012", finding.Code);
        Assert.Contains("metadata hash", finding.Message);
    }

    [Fact]
    public void A_changed_byte_in_any_stream_is_refused()
    {
        var package = Package();
        var signed = temp.Combine("signed.msi");
        using (var signer = FileSigner.WithCertificate(Signer.Value))
        {
            signer.Sign(package, signed, HashAlgorithmName.SHA256, CancellationToken.None);
        }

        var file = CompoundFile.Read(signed);
        foreach (var victim in file.Streams.Where(s => s.Name != InstallerSigner.SignatureStream && s.Data.Length > 0))
        {
            var streams = file.Streams.Select(s => s == victim ? s with { Data = Flip(s.Data) } : s).ToList();
            var tampered = temp.Combine("tampered.msi");
            File.WriteAllBytes(tampered, CompoundFileWriter.Write(streams, file.RootClassId));

            Assert.Equal("WDK4012", Assert.Single(SignatureVerifier.VerifyFile(tampered, Trust)).Code);
        }

        Assert.Equal("WDK4010", Assert.Single(SignatureVerifier.VerifyFile(package, Trust)).Code);
    }

    [WixlFact]
    public void A_package_wixl_built_is_signed_and_verified_by_both()
    {
        temp.Write("tool.txt", "a file to install\n");
        temp.Write("product.wxs", """
            <?xml version="1.0" encoding="utf-8"?>
            <Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
              <Product Id="{11111111-2222-3333-4444-555555555555}" Name="Wixl Built" Language="1033" Version="1.0.0" Manufacturer="Contoso" UpgradeCode="{66666666-7777-8888-9999-000000000000}">
                <Package InstallerVersion="200" Compressed="yes" InstallScope="perMachine" Platform="x64" />
                <Media Id="1" Cabinet="cab1.cab" EmbedCab="yes" />
                <Directory Id="TARGETDIR" Name="SourceDir">
                  <Directory Id="ProgramFiles64Folder">
                    <Directory Id="INSTALLDIR" Name="WixlBuilt">
                      <Component Id="Tool" Guid="{12121212-3434-5656-7878-909090909090}" Win64="yes">
                        <File Id="ToolFile" Source="tool.txt" KeyPath="yes" />
                      </Component>
                    </Directory>
                  </Directory>
                </Directory>
                <Feature Id="Main" Level="1"><ComponentRef Id="Tool" /></Feature>
              </Product>
            </Wix>
            """);
        ToolProcess.Succeed(temp.Path, "wixl", "-a", "x64", "-o", "wixl.msi", "product.wxs");
        Package();
        using (var signer = FileSigner.WithCertificate(Signer.Value))
        {
            signer.Sign(temp.Combine("wixl.msi"), temp.Combine("wixl-signed.msi"), HashAlgorithmName.SHA256, CancellationToken.None);
        }

        ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-CAfile", "signer.pem", "-in", "wixl-signed.msi");
        Assert.Empty(SignatureVerifier.VerifyFile(temp.Combine("wixl-signed.msi"), Trust));
        var (exitCode, output) = ToolProcess.Run(temp.Path, "msiextract", new[] { "-C", temp.Combine("extracted"), "wixl-signed.msi" });
        Assert.True(exitCode == 0, output);
    }

    private static byte[] Flip(byte[] data)
    {
        var copy = (byte[])data.Clone();
        copy[copy.Length / 2] ^= 0x01;
        return copy;
    }
}
