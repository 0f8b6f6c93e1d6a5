using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using static WdkDriver.Core.Catalogs.CatalogOids;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Catalogs;

/// <summary>Decodes any catalog (v1 or v2, signed or not, PKCS#7 or CMS form) into members and attributes.</summary>
public static class CatalogReader
{

    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0, isConstructed: true);

    public static CatalogInfo Read(string path)
    {
        return Read(FileBytes.Read(path, "the catalog"), path);
    }

    public static CatalogInfo Read(byte[] bytes, string path)
    {
        try
        {
            return Decode(bytes);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or InvalidDataException or ArgumentException or FormatException or OverflowException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CatalogMalformed, $"The file is not a readable catalog: {e.Message}", path), e);
        }
    }

    /// <summary>Opens the SignedData around a CTL: the reader is left after the content, at the certificates and signers.</summary>
    private static (AsnReader SignedData, byte[] TrustList) Envelope(byte[] bytes)
    {
        var contentInfo = new AsnReader(bytes, AsnEncodingRules.BER).ReadSequence();
        Expect(contentInfo.ReadObjectIdentifier(), SignedData, "a PKCS#7 SignedData");
        var signedData = contentInfo.ReadSequence(Context0).ReadSequence();
        signedData.ReadInteger();
        signedData.ReadSetOf();
        var encapsulated = signedData.ReadSequence();
        Expect(encapsulated.ReadObjectIdentifier(), Ctl, "a certificate trust list");
        var content = encapsulated.ReadSequence(Context0);
        // signtool's PKCS#7 form holds the CTL directly; CMS (SignedCms) wraps it in an OCTET STRING.
        var trustList = content.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveOctetString)
            ? content.ReadOctetString()
            : content.ReadEncodedValue().ToArray();
        return (signedData, trustList);
    }

    private static CatalogInfo Decode(byte[] bytes)
    {
        var (signedData, trustList) = Envelope(bytes);
        var ctl = new AsnReader(trustList, AsnEncodingRules.BER).ReadSequence();

        var isSigned = false;
        while (signedData.HasData)
        {
            var tag = signedData.PeekTag();
            var element = signedData.ReadEncodedValue();
            if (tag.HasSameClassAndValue(Asn1Tag.SetOf))
            {
                isSigned = new AsnReader(element, AsnEncodingRules.BER).ReadSetOf().HasData;
            }
        }

        if (ctl.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            ctl.ReadInteger();
        }

        ctl.ReadSequence();
        var listIdentifier = ctl.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveOctetString) ? ctl.ReadOctetString() : null;
        if (ctl.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            ctl.ReadInteger();
        }

        var thisUpdate = ReadTime(ctl);
        if (ctl.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || ctl.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime))
        {
            ReadTime(ctl);
        }

        var algorithm = ctl.ReadSequence();
        var version = algorithm.ReadObjectIdentifier() == MemberListV2 ? 2 : 1;

        var members = new List<CatalogMember>();
        if (ctl.HasData && ctl.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var subjects = ctl.ReadSequence();
            while (subjects.HasData)
            {
                members.Add(ReadMember(subjects.ReadSequence()));
            }
        }

        var attributes = new List<KeyValuePair<string, string>>();
        if (ctl.HasData && ctl.PeekTag().HasSameClassAndValue(Context0))
        {
            var extensions = ctl.ReadSequence(Context0).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }

                var value = extension.ReadOctetString();
                if (oid == NameValue)
                {
                    attributes.Add(ReadNameValue(new AsnReader(value, AsnEncodingRules.BER).ReadSequence()));
                }
            }
        }

        return new CatalogInfo(version, listIdentifier, thisUpdate, members, attributes, isSigned);
    }

    private static CatalogMember ReadMember(AsnReader subject)
    {
        var identifier = subject.ReadOctetString();
        string? algorithm = null;
        byte[]? digest = null;
        bool? isPe = null;
        var nameValues = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (subject.HasData)
        {
            var attributes = subject.ReadSetOf();
            while (attributes.HasData)
            {
                var attribute = attributes.ReadSequence();
                var type = attribute.ReadObjectIdentifier();
                var values = attribute.ReadSetOf();
                switch (type)
                {
                    case IndirectData:
                        var indirect = values.ReadSequence();
                        var dataIsPe = indirect.ReadSequence().ReadObjectIdentifier() == PeImageData;
                        isPe ??= dataIsPe;
                        var digestInfo = indirect.ReadSequence();
                        algorithm = digestInfo.ReadSequence().ReadObjectIdentifier();
                        digest = digestInfo.ReadOctetString();
                        break;
                    case NameValue:
                        var pair = ReadNameValue(values.ReadSequence());
                        nameValues[pair.Key] = pair.Value;
                        break;
                    case MemberInfo:
                        isPe = values.ReadSequence().ReadCharacterString(UniversalTagNumber.BMPString).Equals(PeSip, StringComparison.OrdinalIgnoreCase);
                        break;
                    case MemberInfo2:
                        isPe = values.PeekTag().TagValue == 0;
                        break;
                }
            }
        }

        var text = identifier.Length is 20 or 32
            ? ToHex(identifier)
            : Encoding.Unicode.GetString(identifier).TrimEnd('\0');
        return new CatalogMember(identifier, text, algorithm, digest, isPe, nameValues);
    }

    /// <summary>The encoded certificate trust list inside a catalog: the content a signature covers.</summary>
    public static byte[] TrustList(byte[] catalog, string path)
    {
        try
        {
            return Envelope(catalog).TrustList;
        }
        catch (Exception e) when (e is AsnContentException or InvalidDataException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CatalogMalformed, $"The file is not a readable catalog: {e.Message}", path), e);
        }
    }

    private static KeyValuePair<string, string> ReadNameValue(AsnReader pair)
    {
        var name = pair.ReadCharacterString(UniversalTagNumber.BMPString);
        pair.ReadInteger();
        var value = Encoding.Unicode.GetString(pair.ReadOctetString()).TrimEnd('\0');
        return new KeyValuePair<string, string>(name, value);
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    private static void Expect(string actual, string expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidDataException($"expected {what} ({expected}), found {actual}");
        }
    }

    public static string ToHex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("X2")));
}
