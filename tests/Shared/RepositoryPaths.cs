namespace WdkDriver.Tests;

/// <summary>Where the repository, its samples and the shared corpus are, found from the test assembly's folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    public static string Corpus => Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus"));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WdkDriver.Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests run from inside the repository; WdkDriver.Sdk.sln was not found above " + AppContext.BaseDirectory);
    }
}
