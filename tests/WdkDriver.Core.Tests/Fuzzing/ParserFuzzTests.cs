using System.Security.Cryptography;
using System.Text;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Cargo;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.DriverInstall;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;
using WdkDriver.Core.Inf.Validation;
using WdkDriver.Core.Installer;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Fuzzing;

/// <summary>
/// Every parser that reads user or third-party bytes, fed deterministic mutations of real inputs (the corpus, signed
/// files made here): the project's own coded error is the only exception allowed. Each run tries
/// <see cref="Cases"/> inputs per parser (WDK_FUZZ_CASES sets more, for a long run); an input that breaks a parser
/// is saved under artifacts/fuzz-failures/ to become a regression case.
/// </summary>
public class ParserFuzzTests : IDisposable
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("WDK_FUZZ_CASES"), out var cases) ? cases : 1500;
    private static readonly string Corpus = RepositoryPaths.Corpus;
    private readonly TempDirectory temp = new("fuzz");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_INF_reader_stamper_and_validator()
    {
        var seeds = Directory.GetFiles(Path.Combine(Corpus, "inf"), "*.in?", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(24).Select(File.ReadAllBytes).ToList();
        var stamp = new StampOptions("amd64", DriverVer.Parse("11/24/2026,1.2.3.4"), "x.cat", "1.33", "2.33.0");

        Fuzz("inf", seeds, bytes =>
        {
            var document = InfDocument.FromBytes("fuzz.inf", bytes);
            InfValidator.Validate(document, new InfVerifOptions());
            InfStamper.Stamp(document, stamp).ToBytes();
            return document.ParseErrors.Count == 0;
        });
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void The_PE_reader_and_Authenticode_hasher()
    {
        var seeds = PeSeeds();

        Fuzz("pe", seeds, bytes =>
        {
            FileDigest.Compute(new MemoryStream(bytes, writable: false), "fuzz.exe", new[] { HashAlgorithmName.SHA1, HashAlgorithmName.SHA256 });
            var path = temp.Combine("fuzz.exe");
            File.WriteAllBytes(path, bytes);
            PageHashes.Compute(path, HashAlgorithmName.SHA256);
            return true;
        });
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void The_image_header_reader_and_memory_integrity_check()
    {
        // The corpus's images: a Windows 7 driver, the attested Mullvad driver, signtool-signed user-mode DLLs.
        var seeds = PeSeeds().Append(File.ReadAllBytes(Path.Combine(Corpus, "attested", "mullvad-split-tunnel", "mullvad-split-tunnel.sys"))).ToList();

        Fuzz("image-headers", seeds, bytes =>
        {
            var path = temp.Combine("fuzz.sys");
            File.WriteAllBytes(path, bytes);
            var record = WdkDriver.Core.Images.PeHeaders.TryRead(path)?.CodeView(path);
            WdkDriver.Core.Images.MemoryIntegrity.Check(path);
            return record is not null;
        });
    }

    [LlvmFact]
    public void The_program_database_reader()
    {
        var (_, pdb) = LldDriver.Link(temp.Combine("pdb-seed"), "seed");

        Fuzz("pdb", new[] { File.ReadAllBytes(pdb) }, bytes =>
        {
            var path = temp.Combine("fuzz.pdb");
            File.WriteAllBytes(path, bytes);
            WdkDriver.Core.Images.ProgramDatabase.Read(path);
            return true;
        });
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void The_signature_verifier_on_signed_PE_images()
    {
        var seeds = PeSeeds().Skip(1).ToList();
        var trust = new TrustOptions(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), IgnoreChain: true);

        Fuzz("signed-pe", seeds, bytes =>
        {
            var path = temp.Combine("fuzz-signed.exe");
            File.WriteAllBytes(path, bytes);
            return SignatureVerifier.VerifyPe(path, trust) is { Count: 0 };
        });
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void The_revocation_list_reader_and_the_chain_check_that_uses_it()
    {
        var now = DateTimeOffset.UtcNow;
        using var key = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Fuzz CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        var builder = new System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder();
        builder.AddEntry(new byte[] { 0x01, 0x02 }, now.AddHours(-1));
        builder.AddEntry(new byte[] { 0x7F }, now.AddHours(-2));
        var seeds = new List<byte[]> { builder.Build(ca, System.Numerics.BigInteger.One, now.AddDays(1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) };
        seeds.Add(Encoding.ASCII.GetBytes(PemEncoding.WriteString("X509 CRL", seeds[0])));

        Fuzz("crl", seeds, bytes =>
        {
            var path = temp.Combine("fuzz.crl");
            File.WriteAllBytes(path, bytes);
            var list = RevocationList.Load(path);
            return list.IsIssuedBy(ca) && list.RevocationOf(ca) is null;
        });
    }

    [Fact]
    public void The_legacy_time_stamp_reader_on_real_countersigned_signatures()
    {
        // A 2009 Microsoft driver and a 2015 catalog, both with PKCS#9 countersignatures.
        var seeds = new[] { Path.Combine(Corpus, "catalogs", "signify", "pciide.sys"), Path.Combine(Corpus, "catalogs", "arduino-gemma", "arduino_gemma.cat") }.Select(File.ReadAllBytes).ToList();
        var trust = new TrustOptions(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>());

        Fuzz("countersigned", seeds, bytes =>
        {
            var path = temp.Combine(bytes.AsSpan().StartsWith("MZ"u8) ? "fuzz.sys" : "fuzz.cat");
            File.WriteAllBytes(path, bytes);
            return SignatureVerifier.VerifyFile(path, trust).Count == 0;
        });
    }

    [Fact]
    public void The_catalog_reader_and_verifier()
    {
        var seeds = Directory.GetFiles(Path.Combine(Corpus, "catalogs"), "*.cat", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var trust = new TrustOptions(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), IgnoreChain: true);

        Fuzz("cat", seeds, bytes =>
        {
            CatalogReader.Read(bytes, "fuzz.cat");
            var path = temp.Combine("fuzz.cat");
            File.WriteAllBytes(path, bytes);
            return SignatureVerifier.VerifyCatalog(path, trust).Count == 0;
        });
    }

    [Fact]
    public void The_cabinet_reader_and_extractor()
    {
        var seeds = new List<byte[]>();
        foreach (var compression in new[] { CabinetCompression.MsZip, CabinetCompression.None })
        {
            var a = temp.Write("seed/Pkg/a.inf", string.Concat(Enumerable.Range(0, 3000).Select(i => $"line {i}\n")));
            var b = temp.Write("seed/Pkg/b.sys", "MZ" + new string('x', 40000));
            var cab = temp.Combine($"seed-{compression}.cab");
            CabinetWriter.Write(cab, new[] { new CabinetSource("Pkg\\a.inf", a), new CabinetSource("Pkg\\b.sys", b) }, compression, new DateTime(2026, 11, 30));
            seeds.Add(File.ReadAllBytes(cab));
        }

        var extractTo = temp.Combine("fuzz-extract");
        Fuzz("cab", seeds, bytes =>
        {
            using var cabinet = Cabinet.Read(new MemoryStream(bytes, writable: false), "fuzz.cab");
            cabinet.Test();
            cabinet.ExtractTo(extractTo);
            Assert.All(Directory.EnumerateFiles(extractTo, "*", SearchOption.AllDirectories), f => Assert.StartsWith(extractTo, Path.GetFullPath(f)));
            return true;
        });
    }

    [Fact]
    public void The_installer_database_reader_and_extractor()
    {
        var msi = DriverInstallerBuilder.Build(DriverInstall.HelloPackage.Create(temp.Combine("msi-seed")), DriverInstall.HelloPackage.Settings());
        var streams = CompoundFile.Read(msi, "seed.msi").Streams;
        var extractTo = temp.Combine("fuzz-msi-extract");
        bool Read(byte[] bytes)
        {
            var database = InstallerDatabaseReader.Read(CompoundFile.Read(bytes, "fuzz.msi"), "fuzz.msi");
            InstallerFiles.ExtractTo(database, "fuzz.msi", extractTo);
            Assert.All(Directory.EnumerateFiles(extractTo, "*", SearchOption.AllDirectories), f => Assert.StartsWith(extractTo, Path.GetFullPath(f)));
            return true;
        }

        // The file as a whole, and (to reach the tables behind the container's checks) one stream at a time.
        Fuzz("msi", new[] { msi }, Read);
        var mutator = new Mutator(20261203);
        var index = 0;
        Fuzz("msi-stream", new[] { msi }, _ =>
        {
            var chosen = index++ % streams.Count;
            var changed = streams.Select((s, i) => i == chosen ? new CompoundFileStream(s.Name, mutator.Mutate(s.Data)) : s).ToList();
            return Read(CompoundFileWriter.Write(changed, InstallerDatabase.ClassId));
        });
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void The_signature_verifier_on_signed_cabinets()
    {
        var a = temp.Write("seed-signed/Pkg/a.inf", string.Concat(Enumerable.Range(0, 300).Select(i => $"line {i}\n")));
        var cab = temp.Combine("seed-signed.cab");
        CabinetWriter.Write(cab, new[] { new CabinetSource("Pkg\\a.inf", a) }, CabinetCompression.MsZip, new DateTime(2026, 11, 30));
        using var certificate = TestCertificate.Create("CN=Fuzz", DateTimeOffset.UtcNow);
        CabinetSigner.Sign(cab, cab, certificate, Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), HashAlgorithmName.SHA256);
        var trust = new TrustOptions(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), IgnoreChain: true);

        Fuzz("signed-cab", new[] { File.ReadAllBytes(cab) }, bytes =>
        {
            var path = temp.Combine("fuzz-signed.cab");
            File.WriteAllBytes(path, bytes);
            return SignatureVerifier.VerifyCabinet(path, trust).Count == 0;
        });
    }

    [Fact]
    public void The_cargo_message_reader()
    {
        var seeds = new[]
        {
            """{"reason":"compiler-artifact","package_id":"path+file:///ws/driver#booster@0.1.0","target":{"kind":["cdylib"],"crate_types":["cdylib"],"name":"booster","src_path":"/ws/driver/src/lib.rs"},"filenames":["/ws/target/x86_64-pc-windows-gnu/debug/booster.dll"],"executable":null,"fresh":false}""",
            """{"reason":"compiler-message","package_id":"booster 0.1.0","message":{"message":"mismatched types","code":{"code":"E0308","explanation":null},"level":"error","spans":[{"file_name":"driver/src/lib.rs","line_start":49,"column_start":5,"is_primary":true}],"rendered":"error[E0308]: mismatched types"}}""",
            """{"reason":"build-finished","success":true}""",
        }.Select(Encoding.UTF8.GetBytes).ToList();

        // The reader never throws: a line it cannot read is text (CargoOtherMessage), cargo's own output.
        Fuzz("cargo-json", seeds, bytes => CargoMessageReader.Read(Encoding.UTF8.GetString(bytes), "/ws") is not CargoOtherMessage);
    }

    /// <summary>Regression (found by this fuzzer): a signer certificate whose extended key usage does not decode.</summary>
    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void A_signer_certificate_with_a_corrupt_key_usage_extension_is_a_finding_not_a_crash()
    {
        using var key = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Corrupt EKU", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509Extension("2.5.29.37", new byte[] { 0x30, 0x84, 0x00 }, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var unsigned = File.ReadAllBytes(Path.Combine(Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.cat"));
        var path = temp.Combine("corrupt-eku.cat");
        File.WriteAllBytes(path, CatalogSigner.Sign(unsigned, path, certificate, Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), HashAlgorithmName.SHA256));

        var findings = SignatureVerifier.VerifyCatalog(path, new TrustOptions(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), IgnoreChain: true));

        var finding = Assert.Single(findings);
        Assert.Equal(ErrorCodes.ChainUntrusted, finding.Code);
        Assert.Contains("cannot be read", finding.Message);
    }

    /// <summary>An unsigned PE of the corpus, and the same image signed here (SHA-256, with page hashes' parent structure).</summary>
    private List<byte[]> PeSeeds()
    {
        var unsigned = File.ReadAllBytes(Path.Combine(Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"));
        using var certificate = TestCertificate.Create("CN=Fuzz", DateTimeOffset.UtcNow);
        var signed = PeSigner.Sign(unsigned, "seed.exe", certificate, Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), HashAlgorithmName.SHA256);
        return new List<byte[]> { unsigned, signed };
    }

    /// <param name="parse">Reads an input; false when it judged the input bad without throwing (findings, text).</param>
    private static void Fuzz(string parser, IReadOnlyList<byte[]> seeds, Func<byte[], bool> parse)
    {
        Assert.NotEmpty(seeds);
        // string.GetHashCode differs from run to run; the seed must not.
        var mutator = new Mutator(20261124 + parser.Sum(c => c));
        var failures = new List<string>();
        var rejected = 0;
        for (var i = 0; i < Cases; i++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Count]);
            try
            {
                rejected += parse(input) ? 0 : 1;
            }
            catch (WdkException)
            {
                rejected++;
            }
            catch (Exception e) when (failures.Count < 5)
            {
                var saved = Path.Combine(RepositoryPaths.Root, "artifacts", "fuzz-failures", $"{parser}-{i}.bin");
                Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
                File.WriteAllBytes(saved, input);
                failures.Add($"case {i} ({saved}): {e.GetType().Name}: {e.Message}\n{e.StackTrace?.Split('\n').FirstOrDefault()}");
            }
        }

        Assert.True(failures.Count == 0, $"{parser}: {failures.Count} of {Cases} inputs broke the parser:\n" + string.Join("\n", failures));
        // The mutations reach the parsers' error paths, not just their happy paths.
        Assert.True(rejected > Cases / 20, $"{parser}: only {rejected} of {Cases} inputs were rejected");
    }
}
