namespace WdkDriver.Core.Catalogs;

/// <summary>The object identifiers and SIP GUIDs of catalogs and Authenticode, shared by the writer and the reader.</summary>
internal static class CatalogOids
{
    public const string SignedData = "1.2.840.113549.1.7.2";
    public const string Ctl = "1.3.6.1.4.1.311.10.1";
    public const string CatalogList = "1.3.6.1.4.1.311.12.1.1";
    public const string MemberListV1 = "1.3.6.1.4.1.311.12.1.2";
    public const string MemberListV2 = "1.3.6.1.4.1.311.12.1.3";
    public const string IndirectData = "1.3.6.1.4.1.311.2.1.4";
    public const string PeImageData = "1.3.6.1.4.1.311.2.1.15";
    public const string CabData = "1.3.6.1.4.1.311.2.1.25";
    public const string NameValue = "1.3.6.1.4.1.311.12.2.1";
    public const string MemberInfo = "1.3.6.1.4.1.311.12.2.2";
    public const string MemberInfo2 = "1.3.6.1.4.1.311.12.2.3";
    public const string PageHashesV1 = "1.3.6.1.4.1.311.2.3.1";
    public const string PageHashesV2 = "1.3.6.1.4.1.311.2.3.2";
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string PeSip = "{C689AAB8-8E78-11D0-8C47-00C04FC295EE}";
    public const string FlatSip = "{DE351A42-8E59-11D0-8C47-00C04FC295EE}";
}
