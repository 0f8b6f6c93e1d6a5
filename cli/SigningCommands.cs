using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Signing.Cloud;
using WdkDriver.Core.Verification;

namespace WdkDriver.Cli;

/// <summary><c>wdkdriver cert new</c>, <c>sign</c> and <c>verify</c>: what makecert and signtool do.</summary>
internal static class SigningCommands
{
    public static Command Cert(Reporter reporter)
    {
        var subject = new Option<string>("--subject") { Description = "The certificate's subject, CN=<name>.", Required = true };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The folder for <name>.cer and <name>.pfx.", Required = true };
        var passwordVariable = new Option<string?>("--password-env") { Description = "The environment variable holding a password for the .pfx." };
        var create = new Command("new", "Creates a self-signed code-signing test certificate: <name>.cer (DER) and <name>.pfx (owner-only).") { subject, output, passwordVariable };
        create.SetAction(parse => reporter.Run(() =>
        {
            var name = parse.GetValue(subject)!;
            var fileName = name.StartsWith("CN=", StringComparison.OrdinalIgnoreCase) ? name.Substring(3) : name;
            var folder = parse.GetValue(output)!.FullName;
            var password = parse.GetValue(passwordVariable) is { } variable
                ? Environment.GetEnvironmentVariable(variable) ?? throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"The environment variable '{variable}' is not set."))
                : null;
            using var certificate = TestCertificate.Create(name.StartsWith("CN=", StringComparison.OrdinalIgnoreCase) ? name : "CN=" + name, DateTimeOffset.UtcNow);
            var cer = Path.Combine(folder, fileName + ".cer");
            var pfx = Path.Combine(folder, fileName + ".pfx");
            AtomicFile.Write(cer, certificate.RawData, ErrorCodes.TestCertificateFailed);
            AtomicFile.Write(pfx, certificate.Export(X509ContentType.Pfx, password), ErrorCodes.TestCertificateFailed, ownerOnly: true);
            reporter.Output.WriteLine(cer);
            reporter.Output.WriteLine(pfx);
            return ExitCodes.Success;
        }));

        var command = new Command("cert", "Creates test certificates.");
        command.Subcommands.Add(create);
        return command;
    }

    public static Command Sign(Reporter reporter)
    {
        var files = new Argument<FileInfo[]>("file") { Description = "PE files (.sys, .dll, .exe), catalogs (.cat), cabinets (.cab) and installer packages (.msi) to sign in place.", Arity = ArgumentArity.OneOrMore };
        var pfx = new Option<FileInfo?>("--pfx") { Description = "The signing certificate (.pfx)." };
        var passwordVariable = new Option<string?>("--password-env") { Description = "The environment variable holding the .pfx password." };
        var testCert = new Option<DirectoryInfo?>("--test-cert") { Description = "A folder with a test certificate .pfx (from 'cert new')." };
        var test = new Option<bool>("--test") { Description = "The per-user default test certificate (created on first use)." };
        // A string, not a Uri: System.CommandLine cannot convert a Uri, and said so with an unhandled exception.
        var timestamp = new Option<string?>("--timestamp") { Description = "An RFC 3161 time-stamping server URL (signtool's /tr)." };
        var pkcs11 = new Option<FileInfo?>("--pkcs11") { Description = "A PKCS#11 module (the token's library): the key stays in the token." };
        var token = new Option<string?>("--token") { Description = "With --pkcs11: the token's label." };
        var key = new Option<string?>("--key") { Description = "With --pkcs11: the private key's label, or its id in hexadecimal." };
        var pinVariable = new Option<string?>("--pin-env") { Description = "With --pkcs11: the environment variable holding the token's PIN." };
        var cert = new Option<FileInfo?>("--cert") { Description = "With --pkcs11: the signer's certificate (.cer); default: the token's, with the key's id. With --aws-kms: the certificate the CA issued for the key (a PEM or .p7b may add its intermediates)." };
        var keyVault = new Option<string?>("--azure-key-vault") { Description = "An Azure Key Vault (https://<vault>.vault.azure.net) whose certificate's key signs; credentials from AZURE_* variables or a managed identity." };
        var certificateName = new Option<string?>("--certificate-name") { Description = "With --azure-key-vault: the certificate's name, optionally with /version." };
        var artifactSigning = new Option<string?>("--artifact-signing") { Description = "An Azure Artifact Signing endpoint (https://<region>.codesigning.azure.net); credentials as for --azure-key-vault." };
        var account = new Option<string?>("--account") { Description = "With --artifact-signing: the signing account's name." };
        var profile = new Option<string?>("--profile") { Description = "With --artifact-signing: the certificate profile's name." };
        var kms = new Option<string?>("--aws-kms") { Description = "An AWS KMS key (id, alias/<name> or ARN) that signs, with --cert; credentials from the AWS SDK's default chain." };
        var region = new Option<string?>("--region") { Description = "With --aws-kms: the key's region (default: the ARN's, else AWS_REGION)." };
        var command = new Command("sign", "Signs PE files, cabinets and installer packages (.msi) (embedded) and catalogs in place, replacing an earlier signature.")
        {
            files, pfx, passwordVariable, testCert, test, pkcs11, token, key, pinVariable, cert, keyVault, certificateName, artifactSigning, account, profile, kms, region, timestamp,
        };
        command.SetAction(parse => reporter.Run(() =>
        {
            var cloud = new CloudKeySettings(
                parse.GetValue(keyVault), parse.GetValue(certificateName), parse.GetValue(artifactSigning), parse.GetValue(account), parse.GetValue(profile),
                parse.GetValue(kms), parse.GetValue(cert)?.FullName, parse.GetValue(region));
            var sources = new[] { parse.GetValue(pfx) is not null, parse.GetValue(testCert) is not null, parse.GetValue(test), parse.GetValue(pkcs11) is not null }.Count(x => x)
                + new[] { parse.GetValue(keyVault), parse.GetValue(artifactSigning), parse.GetValue(kms) }.Count(x => x is not null);
            if (sources != 1)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "Give exactly one of --pfx, --test-cert, --test, --pkcs11, --azure-key-vault, --artifact-signing or --aws-kms."));
            }

            using var signer = (cloud.Any ? FileSigner.WithKey(cloud.Open()) : CreateSigner(parse, pfx, passwordVariable, testCert, pkcs11, token, key, pinVariable, cert))
                .WithTimestamps(Rfc3161Timestamper.For(parse.GetValue(timestamp), "--timestamp"));
            // Side by side, as a build signs: a cloud HSM's signature takes 100-300 ms.
            var targets = parse.GetValue(files)!;
            signer.SignAll(targets.Select(t => (t.FullName, t.FullName)).ToList(), HashAlgorithmName.SHA256, 4, CancellationToken.None);
            foreach (var target in targets)
            {
                reporter.Output.WriteLine(target.FullName);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static FileSigner CreateSigner(
        ParseResult parse, Option<FileInfo?> pfx, Option<string?> passwordVariable, Option<DirectoryInfo?> testCert,
        Option<FileInfo?> pkcs11, Option<string?> token, Option<string?> key, Option<string?> pinVariable, Option<FileInfo?> cert)
    {
        if (parse.GetValue(pkcs11) is { } module)
        {
            var (label, keyLabel, pin) = (parse.GetValue(token), parse.GetValue(key), parse.GetValue(pinVariable));
            if (string.IsNullOrEmpty(label) || string.IsNullOrEmpty(keyLabel) || string.IsNullOrEmpty(pin))
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "--pkcs11 needs --token, --key and --pin-env."));
            }

            return FileSigner.WithKey(Pkcs11Key.Open(module.FullName, label!, keyLabel!, pin!, parse.GetValue(cert)?.FullName));
        }

        // The signer does not own a certificate it is given; it lives as long as the command.
        var certificate = parse.GetValue(pfx) is { } file ? FileSigner.LoadPfx(file.FullName, parse.GetValue(passwordVariable))
            : parse.GetValue(testCert) is { } folder ? FileSigner.LoadPfx(SinglePfx(folder.FullName), parse.GetValue(passwordVariable))
            : TestCertificateStore.GetOrCreate(TestCertificateStore.DefaultPath, TimeSpan.FromMinutes(2));
        return FileSigner.WithCertificate(certificate);
    }

    public static Command Verify(Reporter reporter)
    {
        var targets = new Argument<FileSystemInfo[]>("file-or-package") { Description = "Signed files or driver package folders.", Arity = ArgumentArity.OneOrMore };
        var catalog = new Option<FileInfo?>("--catalog") { Description = "Check the files' membership of this catalog too." };
        var trusted = new Option<FileInfo[]>("--trusted-cert") { Description = "A .cer the signers must chain to (repeatable); default: the system's roots.", AllowMultipleArgumentsPerToken = false };
        var ignoreChain = new Option<bool>("--ignore-chain") { Description = "Check signatures and digests, not whom they chain to." };
        var microsoft = new Option<bool>("--microsoft")
        {
            Description = "The package must carry Microsoft's driver signature (attestation or WHQL), chaining to a pinned Microsoft root, valid at its time stamp; --trusted-cert gives the root where the system has none.",
        };
        var crl = new Option<FileInfo[]>("--crl") { Description = "A certificate revocation list (DER or PEM; repeatable), read offline: a certificate it revokes before the signature's time stamp, or at all without one, is refused.", AllowMultipleArgumentsPerToken = false };
        var at = new Option<string?>("--at") { Description = "Verify as of this time (ISO 8601, e.g. 2024-05-01T12:00:00Z) instead of now; a time stamp's time still wins." };
        var command = new Command("verify", "Checks signatures, digests and chains; for a package folder, the whole package.") { targets, catalog, trusted, ignoreChain, microsoft, crl, at };
        command.SetAction(parse => reporter.Run(() =>
        {
            var anchors = CertificateFile.LoadAll((parse.GetValue(trusted) ?? Array.Empty<FileInfo>()).Select(f => f.FullName));
            var trust = new TrustOptions(anchors, parse.GetValue(ignoreChain), parse.GetValue(microsoft))
            {
                RevocationLists = (parse.GetValue(crl) ?? Array.Empty<FileInfo>()).Select(f => RevocationList.Load(f.FullName)).ToList(),
                At = VerificationTime(parse.GetValue(at)),
            };
            var failed = false;
            foreach (var target in parse.GetValue(targets)!)
            {
                var findings = Check(target, parse.GetValue(catalog), trust);
                foreach (var finding in findings)
                {
                    reporter.Report(finding);
                }

                failed |= findings.Count > 0;
                reporter.Output.WriteLine($"{target.FullName}: {(findings.Count > 0 ? "NOT VALID" : "valid")}");
            }

            return failed ? ExitCodes.Invalid : ExitCodes.Success;
        }));
        return command;
    }

    private static IReadOnlyList<Diagnostic> Check(FileSystemInfo target, FileInfo? catalog, TrustOptions trust)
    {
        if (target is DirectoryInfo || Directory.Exists(target.FullName))
        {
            // A package folder as the SDK lays it out (driver/<arch>/, client/<arch>/, ...), or one driver package.
            return Directory.Exists(Path.Combine(target.FullName, "driver"))
                ? PackageVerifier.VerifyPackageTree(target.FullName, trust)
                : PackageVerifier.VerifyPackage(CatalogContents.FolderFiles(target.FullName), trust);
        }

        if (catalog is null && File.Exists(target.FullName) && ArchiveVerifier.IsArchive(target.FullName))
        {
            // What dotnet pack wrote: a .nupkg, or the .zip beside it.
            return ArchiveVerifier.VerifyArchive(target.FullName, trust);
        }

        // signtool verify /c: a member of the catalog needs no signature of its own.
        return catalog is null ? SignatureVerifier.VerifyFile(target.FullName, trust) : PackageVerifier.VerifyWithCatalog(target.FullName, catalog.FullName, trust);
    }

    private static DateTime? VerificationTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime
            : throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"--at '{text}' is not a time: write it as ISO 8601, for example 2024-05-01T12:00:00Z."));
    }

    private static string SinglePfx(string folder)
    {
        var candidates = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.pfx") : Array.Empty<string>();
        return candidates.Length == 1
            ? candidates[0]
            : throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"--test-cert needs a folder with exactly one .pfx; '{folder}' has {candidates.Length}."));
    }
}
