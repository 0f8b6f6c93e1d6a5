using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing;

/// <summary>
/// A private key that stays in a PKCS#11 token (a USB EV token, a network or cloud HSM with a PKCS#11 library): the
/// token signs, nothing reads the key. One session and one login serve every signature of a build, since tokens count
/// wrong PINs and lock; a refused PIN is reported once, never retried.
/// </summary>
public sealed class Pkcs11Key : DigestSigningKey
{
    private readonly IPkcs11Library library;
    private readonly ISession session;
    private readonly IObjectHandle key;
    private readonly bool isRsa;
    private readonly Pkcs11InteropFactories factories;
    private readonly object gate = new();

    private Pkcs11Key(Pkcs11InteropFactories factories, IPkcs11Library library, ISession session, IObjectHandle key, bool isRsa, X509Certificate2 certificate)
    {
        this.factories = factories;
        this.library = library;
        this.session = session;
        this.key = key;
        this.isRsa = isRsa;
        Certificate = certificate;
    }

    public override X509Certificate2 Certificate { get; }

#if NET
    static Pkcs11Key()
    {
        // Pkcs11Interop loads modules through "libdl", a name only the C library's development package provides
        // (libdl.so); glibc's own libdl.so.2, or libc itself since glibc 2.34, has the same functions.
        System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(IPkcs11Library).Assembly, (name, assembly, path) =>
        {
            if (name != "libdl" || OperatingSystem.IsWindows())
            {
                return IntPtr.Zero;
            }

            foreach (var candidate in new[] { "libdl.so.2", "libc.so.6", "libdl.so" })
            {
                if (System.Runtime.InteropServices.NativeLibrary.TryLoad(candidate, assembly, path, out var handle))
                {
                    return handle;
                }
            }

            return IntPtr.Zero;
        });
    }
#endif

    /// <param name="module">The token's PKCS#11 library (e.g. libsofthsm2.so, eTPKCS11.dll).</param>
    /// <param name="tokenLabel">The token's label.</param>
    /// <param name="keyLabel">The private key's label, or its id in hexadecimal.</param>
    /// <param name="pinVariable">The environment variable holding the user PIN.</param>
    /// <param name="certificatePath">The signer's certificate (.cer, DER or PEM); when null, the token's certificate with the key's id.</param>
    public static Pkcs11Key Open(string module, string tokenLabel, string keyLabel, string pinVariable, string? certificatePath)
    {
#if NET
        // Pkcs11Interop marshals the module's function table at run time, which a program compiled ahead of time
        // cannot; the compiler drops the rest of this method from such a build.
        if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
        {
            throw Setup("This build of wdkdriver is compiled ahead of time and cannot load PKCS#11 modules (the native package dotnet tool install gives on linux-x64, linux-arm64, win-x64, win-arm64 and osx-arm64): sign with the token through the SDK (ProductionPkcs11Module), or with the framework-dependent command (dotnet wdkdriver.dll from the tool's WdkDriver.Cli.any package).");
        }
#endif

        if (string.IsNullOrWhiteSpace(pinVariable))
        {
            throw Setup("A PKCS#11 key needs the name of the environment variable that holds the token's PIN.");
        }

        var pin = Environment.GetEnvironmentVariable(pinVariable);
        if (pin is null)
        {
            throw Setup($"The environment variable '{pinVariable}' named for the token's PIN is not set.");
        }

        var factories = new Pkcs11InteropFactories();
        IPkcs11Library library;
        try
        {
            library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, module, AppType.MultiThreaded);
        }
        catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or DllNotFoundException or BadImageFormatException or IOException)
        {
            throw Setup($"Cannot load the PKCS#11 module '{module}': {e.Message}");
        }

        ISession? session = null;
        try
        {
            var slots = library.GetSlotList(SlotsType.WithTokenPresent);
            var labels = slots.Select(s => s.GetTokenInfo().Label.Trim()).ToList();
            var slot = slots.Where((_, i) => labels[i] == tokenLabel.Trim()).ToList() switch
            {
                { Count: 1 } one => one[0],
                { Count: 0 } => throw Setup($"No token labelled '{tokenLabel}' is present in {Path.GetFileName(module)}; present: {(labels.Count == 0 ? "none" : string.Join(", ", labels.Select(l => $"'{l}'")))}."),
                var many => throw Setup($"{many.Count} tokens are labelled '{tokenLabel}'; give each token its own label."),
            };

            session = slot.OpenSession(SessionType.ReadOnly);
            Login(session, pin, tokenLabel);
            var (handle, id, isRsa) = FindKey(factories, session, keyLabel, tokenLabel);
            var certificate = certificatePath is null ? TokenCertificate(factories, session, id, keyLabel, tokenLabel) : CertificateFile.Load(certificatePath);
            return new Pkcs11Key(factories, library, session, handle, isRsa, certificate);
        }
        catch (Exception e)
        {
            session?.Dispose();
            library.Dispose();
            if (e is Pkcs11Exception p)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The token '{tokenLabel}' failed in {p.Method}: {p.RV}."), e);
            }

            throw;
        }
    }

    private static void Login(ISession session, string pin, string tokenLabel)
    {
        try
        {
            session.Login(CKU.CKU_USER, pin);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // Another session of this process logged in; the login is the token's, not the session's.
        }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.TokenLoginFailed, $"The token '{tokenLabel}' refused the PIN ({e.RV}). Tokens lock after a few wrong PINs, so this build does not try again: check the PIN's variable before the next build."), e);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_PIN_LOCKED)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.TokenLoginFailed, $"The token '{tokenLabel}' is locked after too many wrong PINs (CKR_PIN_LOCKED); its administrator must unlock it."), e);
        }
    }

    private static (IObjectHandle Handle, byte[] Id, bool IsRsa) FindKey(Pkcs11InteropFactories factories, ISession session, string keyLabel, string tokenLabel)
    {
        List<IObjectHandle> Find(IObjectAttribute which) => session.FindAllObjects(new List<IObjectAttribute>
        {
            factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
            which,
        });

        var found = Find(factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, keyLabel));
        if (found.Count == 0 && Hex(keyLabel) is { } id)
        {
            found = Find(factories.ObjectAttributeFactory.Create(CKA.CKA_ID, id));
        }

        if (found.Count != 1)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, found.Count == 0
                ? $"The token '{tokenLabel}' has no private key labelled '{keyLabel}' (or with that id) that this login can see."
                : $"The token '{tokenLabel}' has {found.Count} private keys labelled '{keyLabel}'; name the key by its id (hexadecimal) instead."));
        }

        var attributes = session.GetAttributeValue(found[0], new List<CKA> { CKA.CKA_ID, CKA.CKA_KEY_TYPE });
        var keyType = (CKK)attributes[1].GetValueAsUlong();
        if (keyType is not (CKK.CKK_RSA or CKK.CKK_EC))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The key '{keyLabel}' on token '{tokenLabel}' is a {keyType} key; Authenticode signs with RSA or ECDSA."));
        }

        return (found[0], attributes[0].GetValueAsByteArray() ?? Array.Empty<byte>(), keyType == CKK.CKK_RSA);
    }

    private static X509Certificate2 TokenCertificate(Pkcs11InteropFactories factories, ISession session, byte[] id, string keyLabel, string tokenLabel)
    {
        var found = session.FindAllObjects(new List<IObjectAttribute>
        {
            factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE),
            factories.ObjectAttributeFactory.Create(CKA.CKA_ID, id),
        });
        if (found.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The token '{tokenLabel}' holds no certificate with the id of key '{keyLabel}'; give the certificate as a .cer file."));
        }

        var value = session.GetAttributeValue(found[0], new List<CKA> { CKA.CKA_VALUE })[0].GetValueAsByteArray();
        return new X509Certificate2(value);
    }

    /// <summary>
    /// The token signs the DigestInfo (RSA, CKM_RSA_PKCS) or the bare hash (ECDSA, CKM_ECDSA): hashing here needs no
    /// hash-and-sign mechanism, which not every token has, and sends the token a few bytes instead of the data.
    /// </summary>
    protected override KeySignature SignDigest(byte[] hash, HashAlgorithmName digest)
    {
        try
        {
            lock (gate)
            {
                if (isRsa)
                {
                    using var mechanism = factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS);
                    return new KeySignature(RsaEncryption, session.Sign(mechanism, key, DigestInfo(hash, digest)), Certificate, Array.Empty<X509Certificate2>());
                }

                using var ecdsa = factories.MechanismFactory.Create(CKM.CKM_ECDSA);
                return new KeySignature(EcdsaAlgorithm(digest), DerSignature(session.Sign(ecdsa, key, hash)), Certificate, Array.Empty<X509Certificate2>());
            }
        }
        catch (Pkcs11Exception e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The token refused to sign ({e.RV})."), e);
        }
    }

    public override void Dispose()
    {
        lock (gate)
        {
            try
            {
                session.Logout();
            }
            catch (Pkcs11Exception)
            {
                // Already logged out (the token was removed, or another session ended the login).
            }

            session.Dispose();
            library.Dispose();
        }
    }

    private static byte[]? Hex(string text)
    {
        var trimmed = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.Substring(2) : text;
        if (trimmed.Length == 0 || trimmed.Length % 2 != 0 || !trimmed.All(Uri.IsHexDigit))
        {
            return null;
        }

        return Enumerable.Range(0, trimmed.Length / 2).Select(i => Convert.ToByte(trimmed.Substring(i * 2, 2), 16)).ToArray();
    }

    private static WdkException Setup(string message) => new(Diagnostic.Error(ErrorCodes.SignSetupInvalid, message));
}
