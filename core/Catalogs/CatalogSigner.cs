using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Signing;

namespace WdkDriver.Core.Catalogs;

/// <summary>Signs a catalog: its certificate trust list, unchanged, becomes the content of a signtool-form SignedData.</summary>
public static class CatalogSigner
{
    private const string Ctl = "1.3.6.1.4.1.311.10.1";

    public static byte[] Sign(byte[] catalog, string path, SigningKey signer, IReadOnlyList<X509Certificate2> chain, HashAlgorithmName digest, ITimestamper? timestamper = null) =>
        AuthenticodeSigner.Sign(Ctl, CatalogReader.TrustList(catalog, path), signer, chain, digest, timestamper);
}
