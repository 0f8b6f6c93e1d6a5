namespace WdkDriver.Tests;

/// <summary>
/// A fresh clone of this repository with the working tree's uncommitted changes on top: what a newcomer's clone of
/// the commit being tested would be, history included (Nerdbank.GitVersioning counts it).
/// </summary>
internal static class WorkingTreeClone
{
    public static void Into(string directory)
    {
        ToolProcess.Succeed(RepositoryPaths.Root, "git", "clone", "-q", "--no-hardlinks", RepositoryPaths.Root, directory);
        foreach (var file in GitFiles("--modified", "--others", "--exclude-standard"))
        {
            var source = Path.Combine(RepositoryPaths.Root, file);
            var target = Path.Combine(directory, file);
            if (File.Exists(source))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target, overwrite: true);
            }
        }

        foreach (var file in GitFiles("--deleted"))
        {
            File.Delete(Path.Combine(directory, file));
        }
    }

    private static IEnumerable<string> GitFiles(params string[] options)
    {
        var (exitCode, output) = ToolProcess.Run(RepositoryPaths.Root, "git", new[] { "ls-files", "-z" }.Concat(options));
        Assert.True(exitCode == 0, output);
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }
}
