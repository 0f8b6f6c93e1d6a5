using System.Reflection.PortableExecutable;
using System.Text;

namespace WdkDriver.Sdk.Tests;

/// <summary>What a test checks in a driver image, read with System.Reflection.PortableExecutable and by hand.</summary>
internal sealed class PeFacts
{
    private PeFacts(byte[] image)
    {
        using var reader = new PEReader(new MemoryStream(image));
        var headers = reader.PEHeaders;
        var pe = headers.PEHeader ?? throw new InvalidDataException("not a PE image");
        Machine = headers.CoffHeader.Machine;
        Characteristics = headers.CoffHeader.Characteristics;
        Magic = pe.Magic;
        Subsystem = pe.Subsystem;
        DllCharacteristics = pe.DllCharacteristics;
        StoredChecksum = pe.CheckSum;
        RelocationSize = pe.BaseRelocationTableDirectory.Size;
        SectionNames = headers.SectionHeaders.Select(s => s.Name).ToList();
        ImportedDlls = ReadImportedDlls(image, headers);
        ComputedChecksum = Checksum(image, headers.PEHeaderStartOffset + 64);
    }

    public Machine Machine { get; }

    public Characteristics Characteristics { get; }

    public PEMagic Magic { get; }

    public Subsystem Subsystem { get; }

    public DllCharacteristics DllCharacteristics { get; }

    public uint StoredChecksum { get; }

    public uint ComputedChecksum { get; }

    public int RelocationSize { get; }

    public IReadOnlyList<string> SectionNames { get; }

    public IReadOnlyList<string> ImportedDlls { get; }

    public static PeFacts Read(string path) => new(File.ReadAllBytes(path));

    /// <summary>The PE checksum: 16-bit one's-complement sum of the image with the checksum field as zero, plus the length.</summary>
    private static uint Checksum(byte[] image, int checksumOffset)
    {
        ulong sum = 0;
        for (var i = 0; i < image.Length; i += 2)
        {
            if (i == checksumOffset || i == checksumOffset + 2)
            {
                continue;
            }

            sum += i + 1 < image.Length ? BitConverter.ToUInt16(image, i) : image[i];
            sum = (sum & 0xffff) + (sum >> 16);
        }

        sum = (sum & 0xffff) + (sum >> 16);
        return (uint)sum + (uint)image.Length;
    }

    private static IReadOnlyList<string> ReadImportedDlls(byte[] image, PEHeaders headers)
    {
        var directory = headers.PEHeader!.ImportTableDirectory;
        var names = new List<string>();
        if (directory.Size == 0)
        {
            return names;
        }

        for (var descriptor = Offset(headers, directory.RelativeVirtualAddress); ; descriptor += 20)
        {
            var nameRva = BitConverter.ToInt32(image, descriptor + 12);
            if (nameRva == 0)
            {
                return names;
            }

            var start = Offset(headers, nameRva);
            var end = Array.IndexOf(image, (byte)0, start);
            names.Add(Encoding.ASCII.GetString(image, start, end - start));
        }
    }

    private static int Offset(PEHeaders headers, int rva)
    {
        var section = headers.SectionHeaders.First(s => rva >= s.VirtualAddress && rva < s.VirtualAddress + Math.Max(s.VirtualSize, s.SizeOfRawData));
        return section.PointerToRawData + rva - section.VirtualAddress;
    }
}
