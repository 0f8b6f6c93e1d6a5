namespace WdkDriver.Core.CompoundFiles;

/// <summary>The numbers of the Compound File Binary format ([MS-CFB]) as version 3 writes them: 512-byte sectors.</summary>
internal static class CompoundFileLayout
{
    public static readonly byte[] Signature = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };

    public const int HeaderSize = 512;
    public const int SectorSize = 512;
    public const int MiniSectorSize = 64;
    public const int MiniStreamCutoff = 4096;
    public const int DirectoryEntrySize = 128;
    public const int HeaderFatSlots = 109;

    public const uint MaxRegularSector = 0xFFFFFFFA;
    public const uint DifatSector = 0xFFFFFFFC;
    public const uint FatSector = 0xFFFFFFFD;
    public const uint EndOfChain = 0xFFFFFFFE;
    public const uint FreeSector = 0xFFFFFFFF;
    public const uint NoStream = 0xFFFFFFFF;

    public const byte StreamEntry = 2;
    public const byte StorageEntry = 1;
    public const byte RootEntry = 5;
    public const byte Red = 0;
    public const byte Black = 1;

    /// <summary>[MS-CFB] 2.6.4: the shorter name is smaller; names of one length compare upper-cased, code unit by code unit.</summary>
    public static int Compare(string x, string y) =>
        x.Length != y.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x.ToUpperInvariant(), y.ToUpperInvariant());
}
