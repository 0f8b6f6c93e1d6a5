using WdkDriver.Core.Versioning;

namespace WdkDriver.Core.Tests.Versioning;

/// <summary>The key under which NBGV's properties are recorded, on real git repositories made by git.</summary>
[Trait(LaneExclusion.Trait, LaneExclusion.LinuxPrograms)]
[Collection(ProcessEnvironment.Name)]
public class GitVersionRecordTests : IDisposable
{
    private readonly TempDirectory temp = new("git-record");

    public void Dispose() => temp.Dispose();

    private string Git(string directory, params string[] arguments)
    {
        var (exitCode, output) = ToolProcess.Run(directory, "git", new[] { "-c", "user.name=test", "-c", "user.email=test@example.invalid" }.Concat(arguments));
        Assert.True(exitCode == 0, $"git {string.Join(" ", arguments)}: {output}");
        return output.Trim();
    }

    private string Repository()
    {
        var repository = temp.Combine("repo");
        Directory.CreateDirectory(Path.Combine(repository, "driver"));
        Git(repository, "init", "-q", "-b", "main");
        return repository;
    }

    [Fact]
    public void The_key_follows_the_commit_version_json_environment_and_settings_and_nothing_else()
    {
        var repository = Repository();
        var project = Path.Combine(repository, "driver");
        Assert.Null(GitVersionRecord.Key(project, "s"));

        Git(repository, "commit", "-q", "--allow-empty", "-m", "first");
        var first = GitVersionRecord.Key(project, "s");
        Assert.NotNull(first);
        Assert.Equal(first, GitVersionRecord.Key(project, "s"));
        Assert.NotEqual(first, GitVersionRecord.Key(project, "other settings"));

        // Packing the refs changes where git keeps the commit id, not the key.
        Git(repository, "pack-refs", "--all");
        Assert.False(File.Exists(Path.Combine(repository, ".git", "refs", "heads", "main")));
        Assert.Equal(first, GitVersionRecord.Key(project, "s"));

        Git(repository, "commit", "-q", "--allow-empty", "-m", "second");
        var second = GitVersionRecord.Key(project, "s");
        Assert.NotEqual(first, second);

        File.WriteAllText(Path.Combine(repository, "version.json"), "{ \"version\": \"1.0\" }");
        var withVersion = GitVersionRecord.Key(project, "s");
        Assert.NotEqual(second, withVersion);

        try
        {
            Environment.SetEnvironmentVariable("WDK_GIT_RECORD_TEST", "1");
            Assert.NotEqual(withVersion, GitVersionRecord.Key(project, "s"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("WDK_GIT_RECORD_TEST", null);
        }

        // A detached HEAD names its commit itself.
        Git(repository, "checkout", "-q", "--detach");
        Assert.NotNull(GitVersionRecord.Key(project, "s"));
    }

    [Fact]
    public void A_worktree_is_keyed_by_its_own_HEAD_and_a_folder_outside_git_by_its_version_json()
    {
        var repository = Repository();
        Git(repository, "commit", "-q", "--allow-empty", "-m", "first");
        Git(repository, "branch", "other");
        Git(repository, "commit", "-q", "--allow-empty", "-m", "second");
        var worktree = temp.Combine("worktree");
        Git(repository, "worktree", "add", "-q", worktree, "other");

        Assert.NotNull(GitVersionRecord.Key(worktree, "s"));
        Assert.NotEqual(GitVersionRecord.Key(repository, "s"), GitVersionRecord.Key(worktree, "s"));
        var before = GitVersionRecord.Key(worktree, "s");
        Git(worktree, "commit", "-q", "--allow-empty", "-m", "on other");
        Assert.NotEqual(before, GitVersionRecord.Key(worktree, "s"));

        // Outside any repository (a temporary folder's parents are not one).
        var outside = Path.Combine(Path.GetTempPath(), "wdk-no-git-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        try
        {
            var none = GitVersionRecord.Key(outside, "s");
            Assert.NotNull(none);
            File.WriteAllText(Path.Combine(outside, "version.json"), "{ \"version\": \"2.0\" }");
            Assert.NotEqual(none, GitVersionRecord.Key(outside, "s"));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void A_record_is_read_back_only_under_its_own_key()
    {
        var record = temp.Combine("obj", "git-version.state");
        var properties = new[] { new KeyValuePair<string, string>("BuildVersion", "1.2.3.4"), new KeyValuePair<string, string>("PrereleaseVersion", "") };

        GitVersionRecord.Write(record, "k1", properties);

        Assert.Equal(properties, GitVersionRecord.TryRead(record, "k1"));
        Assert.Null(GitVersionRecord.TryRead(record, "k2"));
        File.AppendAllText(record, "garbage\n");
        Assert.Null(GitVersionRecord.TryRead(record, "k1"));
        GitVersionRecord.Write(record, "k3", new[] { new KeyValuePair<string, string>("Bad", "two\nlines") });
        Assert.Null(GitVersionRecord.TryRead(record, "k3"));
    }
}
