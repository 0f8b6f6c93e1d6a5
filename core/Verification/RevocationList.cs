using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Verification;

/// <summary>
/// An X.509 certificate revocation list (RFC 5280 §5), read from a file, never fetched: which certificates of one
/// issuer are revoked, and since when. It counts only for certificates whose issuer signed it.
/// </summary>
public sealed class RevocationList
{
    private readonly byte[] signed;
    private readonly string signatureAlgorithm;
    private readonly byte[] signature;
    private readonly Dictionary<string, DateTime> revoked;

    private RevocationList(string path, byte[] issuer, byte[] signed, string signatureAlgorithm, byte[] signature, Dictionary<string, DateTime> revoked)
    {
        Path = path;
        Issuer = issuer;
        this.signed = signed;
        this.signatureAlgorithm = signatureAlgorithm;
        this.signature = signature;
        this.revoked = revoked;
    }

    public string Path { get; }

    /// <summary>The issuer's distinguished name, DER.</summary>
    public byte[] Issuer { get; }

    /// <summary>Reads a CRL, DER or PEM; one that cannot be read or parsed is WDK4017 at the file.</summary>
    public static RevocationList Load(string path)
    {
        var bytes = FileBytes.Read(path, "the revocation list");

        try
        {
            var list = new AsnReader(Pem(bytes), AsnEncodingRules.DER).ReadSequence();
            var tbs = list.ReadEncodedValue().ToArray();
            var algorithm = list.ReadSequence().ReadObjectIdentifier();
            var value = list.ReadBitString(out _);

            var body = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
            if (body.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                body.ReadInteger();
            }

            body.ReadSequence();
            var issuer = body.ReadEncodedValue().ToArray();
            ReadTime(body);
            if (body.HasData && (body.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || body.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
            {
                ReadTime(body);
            }

            var revoked = new Dictionary<string, DateTime>(StringComparer.Ordinal);
            if (body.HasData && body.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var entries = body.ReadSequence();
                while (entries.HasData)
                {
                    var entry = entries.ReadSequence();
                    var serial = CertificateSerial.Of(entry.ReadIntegerBytes().ToArray());
                    var when = ReadTime(entry);
                    revoked[serial] = revoked.TryGetValue(serial, out var earlier) && earlier < when ? earlier : when;
                }
            }

            return new RevocationList(path, issuer, tbs, algorithm, value, revoked);
        }
        catch (Exception e) when (e is AsnContentException or FormatException or CryptographicException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.RevocationListInvalid, $"This is not a certificate revocation list (DER or PEM): {e.Message}", path), e);
        }
    }

    /// <summary>Whether <paramref name="issuer"/> issued this list: its name and its signature.</summary>
    public bool IsIssuedBy(X509Certificate2 issuer) =>
        issuer.SubjectName.RawData.SequenceEqual(Issuer)
        && PublicKeySignature.Digest(signatureAlgorithm) is { } digest
        && PublicKeySignature.Verify(issuer, signed, signature, digest);

    /// <summary>When <paramref name="certificate"/> was revoked, by this list; null when it is not listed.</summary>
    public DateTime? RevocationOf(X509Certificate2 certificate) =>
        certificate.IssuerName.RawData.SequenceEqual(Issuer) && revoked.TryGetValue(CertificateSerial.Of(certificate), out var when) ? when : null;

    private static DateTime ReadTime(AsnReader reader) =>
        (reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime()).UtcDateTime;

    private static byte[] Pem(byte[] bytes)
    {
        const string Begin = "-----BEGIN X509 CRL-----";
        var text = Encoding.ASCII.GetString(bytes);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        if (start < 0)
        {
            return bytes;
        }

        var end = text.IndexOf("-----END X509 CRL-----", start, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new FormatException("the PEM block has no end line");
        }

        return Convert.FromBase64String(text.Substring(start + Begin.Length, end - start - Begin.Length));
    }
}
