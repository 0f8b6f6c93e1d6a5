using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing;

/// <summary>
/// Finds a signing certificate by thumbprint in the user's, then the machine's, personal store (signtool's /sha1),
/// as Windows keeps production certificates and HSM-backed keys. .NET keeps a store of its own on other systems,
/// which is where the tests here look.
/// </summary>
public static class CertificateStoreLookup
{
    public static X509Certificate2 Find(string thumbprint)
    {
        var wanted = new string(thumbprint.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
        if (wanted.Length != 40)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"ProductionCertificateThumbprint '{thumbprint}' is not a SHA-1 thumbprint (40 hex digits)."));
        }

        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                continue;
            }

            var found = store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false);
            if (found.Count > 0)
            {
                return found[0].HasPrivateKey
                    ? found[0]
                    : throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The certificate {wanted} in the {location} store has no private key this user can use."));
            }
        }

        throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"No certificate with thumbprint {wanted} in the CurrentUser or LocalMachine personal (My) store."));
    }
}
