using WdkDriver.Core.Versioning;

namespace WdkDriver.Core.Tests.Versioning;

/// <summary>
/// The git record read from a repository laid out by hand, as git for Windows lays a worktree out: its <c>.git</c>
/// file names the worktree's folder with this host's absolute path in forward slashes (<c>C:/Users/...</c> on
/// Windows), and refs live in the common folder. Needs no git, so the Windows lane runs it there.
/// </summary>
public class GitLayoutTests : IDisposable
{
    private readonly TempDirectory temp = new("git-layout");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_worktree_named_by_an_absolute_gitdir_in_forward_slashes_is_keyed_by_its_own_branch()
    {
        var common = temp.Combine("main repo", ".git");
        var worktreeGit = Path.Combine(common, "worktrees", "feature");
        temp.Write(Path.Combine("main repo", ".git", "HEAD"), "ref: refs/heads/main\n");
        temp.Write(Path.Combine("main repo", ".git", "refs", "heads", "main"), new string('a', 40) + "\n");
        temp.Write(Path.Combine("main repo", ".git", "worktrees", "feature", "HEAD"), "ref: refs/heads/feature\n");
        temp.Write(Path.Combine("main repo", ".git", "worktrees", "feature", "commondir"), "../..\n");
        temp.Write(Path.Combine("main repo", ".git", "packed-refs"), $"# pack-refs with: peeled\n{new string('b', 40)} refs/heads/feature\n");
        temp.Write(Path.Combine("wörktree", ".git"), "gitdir: " + worktreeGit.Replace('\\', '/') + "\n");
        var project = temp.Combine("wörktree", "driver");
        Directory.CreateDirectory(project);

        var key = GitVersionRecord.Key(project, "s");
        File.WriteAllText(Path.Combine(common, "refs", "heads", "main"), new string('c', 40) + "\n");
        var afterMainMoved = GitVersionRecord.Key(project, "s");
        Directory.CreateDirectory(Path.Combine(common, "refs", "heads"));
        File.WriteAllText(Path.Combine(common, "refs", "heads", "feature"), new string('d', 40) + "\n");
        var afterFeatureMoved = GitVersionRecord.Key(project, "s");

        Assert.NotNull(key);
        Assert.Equal(key, afterMainMoved);
        Assert.NotNull(afterFeatureMoved);
        Assert.NotEqual(key, afterFeatureMoved);
    }
}
