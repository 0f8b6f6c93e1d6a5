namespace WdkDriver.Tests;

/// <summary>A fresh folder under the system's temporary folder, removed at the end of the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "wdk-test")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts).ToArray());

    public string Write(string relativePath, string content)
    {
        var file = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Copies a folder, leaving out build outputs (target/, bin/, obj/).</summary>
    public static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in Directory.EnumerateFileSystemEntries(source))
        {
            var name = System.IO.Path.GetFileName(entry);
            if (name is "target" or "bin" or "obj")
            {
                continue;
            }

            var copy = System.IO.Path.Combine(destination, name);
            if (Directory.Exists(entry))
            {
                CopyTree(entry, copy);
            }
            else
            {
                File.Copy(entry, copy);
            }
        }
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("WDK_KEEP_TEST_FILES") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that still holds a file open; the system cleans its temporary folder.
        }
    }
}
