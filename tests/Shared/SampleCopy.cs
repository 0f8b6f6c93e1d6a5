namespace WdkDriver.Tests;

/// <summary>
/// Copies a sample for a test to build, with the crates the samples share (samples/kernel, samples/driver-build, samples/device-io)
/// beside it, where its path dependencies (<c>../../kernel</c> from a crate) expect them.
/// </summary>
internal static class SampleCopy
{
    private static readonly string[] SharedCrates = { "kernel", "driver-build", "device-io" };

    /// <summary>Copies the sample's files into <paramref name="directory"/>, except those named in <paramref name="skip"/>.</summary>
    public static void Into(string sample, string directory, params string[] skip)
    {
        Directory.CreateDirectory(directory);
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(RepositoryPaths.Samples, sample)))
        {
            var name = Path.GetFileName(entry);
            if (skip.Contains(name) || name is "target" or "bin" or "obj")
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                TempDirectory.CopyTree(entry, Path.Combine(directory, name));
            }
            else
            {
                File.Copy(entry, Path.Combine(directory, name));
            }
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar))!;
        foreach (var crate in SharedCrates.Where(c => !Directory.Exists(Path.Combine(parent, c))))
        {
            TempDirectory.CopyTree(Path.Combine(RepositoryPaths.Samples, crate), Path.Combine(parent, crate));
        }
    }
}
