using System;
using System.Security.Cryptography;
using System.Text;

namespace WdkDriver.Core.Installer;

/// <summary>
/// Name-based GUIDs (RFC 9562 version 5: SHA-1 over a namespace and a name): the same name always gives the same
/// GUID, so the codes of an installer follow from what it is, not from the moment it was built.
/// </summary>
public static class NameBasedGuid
{
    /// <summary>The namespace of every code this SDK derives (itself a version 5 GUID of "WdkDriver.Sdk" in the URL namespace).</summary>
    public static readonly Guid Namespace = Create(new Guid("6ba7b811-9dad-11d1-80b4-00c04fd430c8"), "https://github.com/wdkdriver/WdkDriver.Sdk");

    public static Guid Create(string name) => Create(Namespace, name);

    public static Guid Create(Guid space, string name)
    {
        var spaceBytes = BigEndian(space.ToByteArray());
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[spaceBytes.Length + nameBytes.Length];
        spaceBytes.CopyTo(input, 0);
        nameBytes.CopyTo(input, spaceBytes.Length);

        byte[] hash;
        using (var sha1 = SHA1.Create())
        {
            hash = sha1.ComputeHash(input);
        }

        var bytes = new byte[16];
        Array.Copy(hash, bytes, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(BigEndian(bytes));
    }

    /// <summary>Installer tables write GUIDs upper case in braces.</summary>
    public static string Braced(Guid guid) => guid.ToString("B").ToUpperInvariant();

    /// <summary>Swaps between .NET's byte order of a GUID (first three fields little-endian) and the RFC's (big-endian).</summary>
    private static byte[] BigEndian(byte[] bytes)
    {
        var swapped = (byte[])bytes.Clone();
        Array.Reverse(swapped, 0, 4);
        Array.Reverse(swapped, 4, 2);
        Array.Reverse(swapped, 6, 2);
        return swapped;
    }
}
