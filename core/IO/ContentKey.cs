namespace WdkDriver.Core.IO;

/// <summary>
/// The key of a build record: a hash of what the recorded result depends on, so that no value in it (a registry
/// token in the environment, say) is written to disk. FNV-1a over 128 bits: a cache key, not a security boundary, and
/// it loads no cryptography library into the build.
/// </summary>
public static class ContentKey
{
    public static string Of(string text)
    {
        // Two 64-bit FNV-1a lanes with different offsets, the second one mixed further.
        ulong first = 0xcbf29ce484222325, second = 0x84222325cbf29ce4;
        foreach (var c in text)
        {
            first = (first ^ c) * 0x100000001b3;
            second = (second ^ c) * 0x100000001b3;
            second ^= second >> 29;
        }

        return first.ToString("x16") + second.ToString("x16");
    }
}
