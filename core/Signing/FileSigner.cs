using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Signing;

/// <summary>
/// Signs files for a build: with a certificate (the per-user test certificate, or a production PFX whose password
/// comes from an environment variable), a key that stays in a token (<see cref="Pkcs11Key"/>), or with an external
/// command (cloud signing services) given as a template with a <c>{file}</c> placeholder. PE files, cabinets and installer packages get an embedded signature, catalogs a signed CTL.
/// </summary>
public sealed class FileSigner : IDisposable
{
    private readonly SigningKey? key;
    private readonly bool ownsKey;
    private readonly IReadOnlyList<string>? command;
    private readonly IProcessRunner runner;
    private ITimestamper? timestamper;

    private FileSigner(SigningKey? key, bool ownsKey, IReadOnlyList<string>? command, IProcessRunner runner)
    {
        this.key = key;
        this.ownsKey = ownsKey;
        this.command = command;
        this.runner = runner;
    }

    /// <summary>Lets go of a key the signer owns: a token's session is logged out and closed.</summary>
    public void Dispose()
    {
        if (ownsKey)
        {
            key?.Dispose();
        }
    }

    /// <summary>
    /// Who signs, without a secret: the signer certificate's thumbprint, or the command line template. Signatures
    /// made by one identity can be kept; another identity must sign again.
    /// </summary>
    public string Identity => key is not null ? key.Identity : "command " + string.Join(" ", command!);

    /// <summary>Time-stamps every signature this signer makes (not those of an external command, which does its own).</summary>
    public FileSigner WithTimestamps(ITimestamper? timestamps)
    {
        timestamper = timestamps;
        return this;
    }

    /// <summary>
    /// A signer with a certificate, refused before anything is signed when it cannot make a signature Windows
    /// accepts: no private key, a key that is not the certificate's, outside its validity, or no code-signing usage.
    /// </summary>
    public static FileSigner WithCertificate(X509Certificate2 certificate) =>
        WithKey(certificate.HasPrivateKey ? certificate : throw Unusable(certificate, "there is no private key with it."));

    /// <summary>
    /// A signer with a key, checked as <see cref="WithCertificate"/> is. With <paramref name="ownsKey"/> the signer
    /// disposes the key (also when it is refused); without, the key serves other signers after this one.
    /// </summary>
    public static FileSigner WithKey(SigningKey key, bool ownsKey = true)
    {
        try
        {
            if (key.CannotSign(DateTime.UtcNow) is { } reason)
            {
                throw Unusable(key.Certificate, reason);
            }
        }
        catch when (ownsKey)
        {
            key.Dispose();
            throw;
        }

        return new(key, ownsKey, null, ProcessRunner.Instance);
    }

    private static WdkException Unusable(X509Certificate2 certificate, string reason) =>
        new(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The signing certificate '{certificate.Subject}' cannot sign: {reason}"));

    public static FileSigner WithCommand(string template, IProcessRunner runner)
    {
        var arguments = CommandLine.Split(template);
        if (arguments.Count == 0 || !arguments.Any(a => a.Contains("{file}")))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "SignCommand must be a command with a {file} placeholder for the file to sign."));
        }

        return new FileSigner(null, false, arguments, runner);
    }

    /// <summary>Loads a production PFX; the password is read from the environment variable the caller names, never passed around as text.</summary>
    public static X509Certificate2 LoadPfx(string path, string? passwordVariable)
    {
        var password = string.IsNullOrEmpty(passwordVariable) ? null : Environment.GetEnvironmentVariable(passwordVariable);
        if (!string.IsNullOrEmpty(passwordVariable) && password is null)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"The environment variable '{passwordVariable}' named for the certificate's password is not set.", path));
        }

        try
        {
            var certificate = new X509Certificate2(File.ReadAllBytes(path), password, X509KeyStorageFlags.Exportable);
            if (!certificate.HasPrivateKey)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, "The certificate file holds no private key.", path));
            }

            return certificate;
        }
        catch (CryptographicException e)
        {
            // What to change, never what the password was. A password given as a property is never read: properties
            // end up in build logs.
            var advice = string.IsNullOrEmpty(passwordVariable)
                ? "it is protected by a password and none was given. Put the password in an environment variable and name that variable with ProductionCertificatePasswordVariable (--password-env for the command); a password given as a property or on the command line is never read"
                : $"the password in the environment variable '{passwordVariable}' (ProductionCertificatePasswordVariable) does not open it, or the file is damaged";
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"Cannot open the signing certificate: {advice}.", path), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"Cannot open the signing certificate: {e.Message}", path), e);
        }
    }

    /// <summary>Writes the signed form of <paramref name="source"/> to <paramref name="destination"/> (never half-written).</summary>
    public void Sign(string source, string destination, HashAlgorithmName digest, CancellationToken cancellation)
    {
        if (command is not null)
        {
            SignWithCommand(source, destination, cancellation);
            return;
        }

        try
        {
            switch (Kind(source))
            {
                case SignedKind.Pe:
                    PeSigner.Sign(source, destination, key!, Array.Empty<X509Certificate2>(), digest, timestamper);
                    return;
                case SignedKind.Cabinet:
                    CabinetSigner.Sign(source, destination, key!, Array.Empty<X509Certificate2>(), digest, timestamper);
                    return;
                case SignedKind.Installer:
                    Installer.InstallerSigner.Sign(source, destination, key!, Array.Empty<X509Certificate2>(), digest, timestamper);
                    return;
            }

            var signed = Catalogs.CatalogSigner.Sign(File.ReadAllBytes(source), source, key!, Array.Empty<X509Certificate2>(), digest, timestamper);
            AtomicFile.Write(destination, signed, ErrorCodes.SignOutputFailed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read the file to sign it: {e.Message}", source), e);
        }
    }

    /// <summary>
    /// Signs each (source, destination) pair, at most <paramref name="concurrency"/> at once. The first failure stops
    /// the pairs not yet begun and is thrown as itself; every destination is written whole or not at all.
    /// </summary>
    public void SignAll(IReadOnlyList<(string Source, string Destination)> files, HashAlgorithmName digest, int concurrency, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Catalogs.ParallelWork.For(files.Count, concurrency, i =>
        {
            stop.Token.ThrowIfCancellationRequested();
            try
            {
                Sign(files[i].Source, files[i].Destination, digest, stop.Token);
            }
            catch
            {
                stop.Cancel();
                throw;
            }
        });
    }

    private enum SignedKind
    {
        Pe,
        Cabinet,
        Installer,
        Other,
    }

    private static SignedKind Kind(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        if (PeImage.TryRead(stream, path) is not null)
        {
            return SignedKind.Pe;
        }

        return Cabinets.CabinetSigningLayout.IsCabinet(stream) ? SignedKind.Cabinet
            : CompoundFiles.CompoundFile.IsCompoundFile(path) ? SignedKind.Installer
            : SignedKind.Other;
    }

    /// <summary>The end of a tool's output, on one line: a diagnostic stays one line in the build log.</summary>
    private static string LastLines(CapturedOutput result) =>
        string.Join(" | ", result.StandardError.Concat(result.StandardOutput).Select(l => l.Trim()).Where(l => l.Length > 0).Reverse().Take(3).Reverse());

    private void SignWithCommand(string source, string destination, CancellationToken cancellation)
    {
        var work = destination + ".signing" + Path.GetExtension(destination);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
            File.Copy(source, work, overwrite: true);
            var arguments = command!.Skip(1).Select(a => a.Replace("{file}", work)).ToList();
            var result = runner.Capture(new ProcessRequest(command![0].Replace("{file}", work), arguments), cancellation);
            if (result.ExitCode != 0)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SignCommandFailed, $"SignCommand exited with {result.ExitCode} for {Path.GetFileName(source)}: {LastLines(result)}", source));
            }

            AtomicFile.Write(destination, File.ReadAllBytes(work), ErrorCodes.SignOutputFailed);
        }
        catch (ProcessStartException e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignCommandFailed, $"SignCommand {e.Message}.", source), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignOutputFailed, $"Cannot sign with SignCommand: {e.Message}", source), e);
        }
        finally
        {
            try
            {
                File.Delete(work);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The copy is in the intermediate folder and not part of any output.
            }
        }
    }
}
