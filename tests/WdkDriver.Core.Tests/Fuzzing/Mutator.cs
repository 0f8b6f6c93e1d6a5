namespace WdkDriver.Core.Tests.Fuzzing;

/// <summary>
/// Deterministic mutations of a seed input, as a mutation fuzzer makes them: bit flips, interesting bytes, truncations,
/// insertions, duplicated chunks and corrupted length fields (little-endian counts and DER lengths).
/// </summary>
internal sealed class Mutator
{
    private static readonly byte[] Interesting = { 0x00, 0x01, 0x7F, 0x80, 0xFF, 0x30, 0x82, 0x84, 0x0A, 0x0D, 0x22, 0x25, 0x3B, 0x5B, 0x5D, 0x3D };
    private static readonly uint[] Counts = { 0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFF, 0x10000 };
    private readonly Random random;

    public Mutator(int seed)
    {
        random = new Random(seed);
    }

    public byte[] Mutate(byte[] seed)
    {
        var data = seed.ToList();
        var mutations = 1 + random.Next(4);
        for (var i = 0; i < mutations; i++)
        {
            Apply(data);
        }

        return data.ToArray();
    }

    private void Apply(List<byte> data)
    {
        if (data.Count == 0)
        {
            data.Add(Interesting[random.Next(Interesting.Length)]);
            return;
        }

        var at = Offset(data.Count);
        switch (random.Next(8))
        {
            case 0:
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                data[at] = Interesting[random.Next(Interesting.Length)];
                break;
            case 2:
                data.RemoveRange(at, data.Count - at);
                break;
            case 3:
                data.InsertRange(at, Enumerable.Range(0, 1 + random.Next(16)).Select(_ => (byte)random.Next(256)));
                break;
            case 4:
                var length = Math.Min(data.Count - at, 1 + random.Next(64));
                data.InsertRange(Offset(data.Count), data.GetRange(at, length));
                break;
            case 5:
                // A 32-bit little-endian count or offset (PE headers, directory sizes) made absurd.
                var count = BitConverter.GetBytes(Counts[random.Next(Counts.Length)]);
                for (var i = 0; i < 4 && at + i < data.Count; i++)
                {
                    data[at + i] = count[i];
                }

                break;
            case 6:
                // A DER length: long form claiming more than there is, or an indefinite length.
                data[at] = (byte)(random.Next(2) == 0 ? 0x84 : 0x80);
                break;
            default:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(32)));
                break;
        }
    }

    /// <summary>Offsets near the start (headers, where parsers decide most) are chosen more often.</summary>
    private int Offset(int count) => random.Next(2) == 0 ? random.Next(Math.Min(count, 512)) : random.Next(count);
}
