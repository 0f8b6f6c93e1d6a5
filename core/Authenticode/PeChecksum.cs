using System;
using System.Buffers.Binary;
#if NET8_0_OR_GREATER
using System.Numerics;
using System.Runtime.InteropServices;
#endif

namespace WdkDriver.Core.Authenticode;

/// <summary>
/// The PE CheckSum: 16-bit little-endian words summed with end-around carry, the CheckSum field taken as 0, plus the
/// length. Parts of the image can be added in any order and from any offset, so a signer can sum the image while it
/// hashes it and add what it changes afterwards.
/// </summary>
public sealed class PeChecksum
{
    private ulong sum;

    public static uint Compute(byte[] image, long checksumOffset)
    {
        var checksum = new PeChecksum();
        var field = (int)Math.Min(checksumOffset, image.Length);
        checksum.Add(image.AsSpan(0, field), 0);
        if (field + 4 < image.Length)
        {
            checksum.Add(image.AsSpan(field + 4), field + 4);
        }

        return checksum.Finish(image.Length);
    }

    /// <summary>Adds bytes that lie at <paramref name="offset"/> in the image (bytes not added count as zeros).</summary>
    public void Add(ReadOnlySpan<byte> bytes, long offset)
    {
        if ((offset & 1) != 0 && bytes.Length > 0)
        {
            sum += (ulong)bytes[0] << 8;
            bytes = bytes.Slice(1);
        }

        var i = SumVectors(bytes);

        // 2^16 = 1 modulo 2^16 - 1, so a 32-bit word adds what its two 16-bit halves add: summing 32-bit words into
        // 64 bits and folding once at the end is the end-around-carry sum in half the steps.
        for (; i + 4 <= bytes.Length; i += 4)
        {
            sum += BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(i));
        }

        for (; i + 2 <= bytes.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(i));
        }

        if (i < bytes.Length)
        {
            sum += bytes[i];
        }
    }

    /// <summary>Sums the 16-bit words of whole vectors at the start of <paramref name="bytes"/>; returns how many bytes that was.</summary>
    private int SumVectors(ReadOnlySpan<byte> bytes)
    {
#if NET8_0_OR_GREATER
        if (!Vector.IsHardwareAccelerated || !BitConverter.IsLittleEndian)
        {
            return 0;
        }

        // Each lane adds two 16-bit halves per step, at most 2 * 0xFFFF: 32 768 steps fit its 32 bits.
        var vectors = MemoryMarshal.Cast<byte, Vector<uint>>(bytes);
        var low = new Vector<uint>(0xFFFF);
        for (var start = 0; start < vectors.Length; start += 32768)
        {
            var lanes = Vector<uint>.Zero;
            foreach (var vector in vectors.Slice(start, Math.Min(32768, vectors.Length - start)))
            {
                lanes += (vector & low) + (vector >> 16);
            }

            for (var lane = 0; lane < Vector<uint>.Count; lane++)
            {
                sum += lanes[lane];
            }
        }

        return vectors.Length * Vector<byte>.Count;
#else
        return 0;
#endif
    }

    public uint Finish(long imageLength)
    {
        var folded = sum;
        while (folded > 0xFFFF)
        {
            folded = (folded & 0xFFFF) + (folded >> 16);
        }

        return (uint)folded + (uint)imageLength;
    }
}
