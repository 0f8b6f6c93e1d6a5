using System.Formats.Asn1;

namespace WdkDriver.Tests;

internal static class CatalogBytes
{
    /// <summary>The encoded certificate trust list inside a catalog: the signed content, what inf2cat compatibility is judged on.</summary>
    public static byte[] TrustList(byte[] catalog)
    {
        var content = new AsnReader(catalog, AsnEncodingRules.BER).ReadSequence();
        content.ReadObjectIdentifier();
        var signedData = content.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        signedData.ReadInteger();
        signedData.ReadSetOf();
        var encapsulated = signedData.ReadSequence();
        encapsulated.ReadObjectIdentifier();
        return encapsulated.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadEncodedValue().ToArray();
    }
}
