namespace WdkDriver.Core.Signing;

/// <summary>The PE CheckSum: 16-bit words summed with end-around carry, the CheckSum field taken as 0, plus the length.</summary>
public static class PeChecksum
{
    public static uint Compute(byte[] image, long checksumOffset)
    {
        ulong sum = 0;
        for (long i = 0; i < image.Length; i += 2)
        {
            if (i == checksumOffset || i == checksumOffset + 2)
            {
                continue;
            }

            sum += i + 1 < image.Length ? (uint)(image[i] | (image[i + 1] << 8)) : image[i];
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        sum = (sum & 0xFFFF) + (sum >> 16);
        return (uint)sum + (uint)image.Length;
    }
}
