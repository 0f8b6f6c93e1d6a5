using System;

namespace WdkDriver.Core.Signing;

/// <summary>The PE CheckSum: 16-bit words summed with end-around carry, the CheckSum field taken as 0, plus the length.</summary>
public static class PeChecksum
{
    public static uint Compute(byte[] image, long checksumOffset)
    {
        // 2^16 = 1 modulo 2^16 - 1, so a little-endian 32-bit word adds what its two 16-bit halves add: summing
        // 32-bit words into 64 bits and folding once at the end is the 16-bit end-around-carry sum, 2x fewer steps.
        ulong sum = 0;
        var words = image.Length / 4;
        for (var i = 0; i < words; i++)
        {
            sum += BitConverter.ToUInt32(image, i * 4);
        }

        for (var i = words * 4; i < image.Length; i += 2)
        {
            sum += i + 1 < image.Length ? (uint)(image[i] | (image[i + 1] << 8)) : image[i];
        }

        // Take the CheckSum field out: adding a word's ones' complement subtracts it.
        foreach (var at in new[] { checksumOffset, checksumOffset + 2 })
        {
            if (at + 1 < image.Length)
            {
                sum += 0xFFFFu - (uint)(image[at] | (image[at + 1] << 8));
            }
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (uint)sum + (uint)image.Length;
    }
}
