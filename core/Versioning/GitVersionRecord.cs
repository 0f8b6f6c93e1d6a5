using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Versioning;

/// <summary>
/// Nerdbank.GitVersioning's version properties (DriverVer's version and date come from them), recorded in the
/// project's intermediate folder with what they were computed from: the commit HEAD points at, every version.json
/// above the project, the environment and NBGV's settings. When none of that changed, NBGV would compute the same
/// values again; reading them back saves loading it and walking the history on every build.
/// </summary>
public static class GitVersionRecord
{
    private const string Header = "WdkDriver git version record 1";

    /// <summary>The key of the present state; null where it cannot be told (a branch with no commit yet, a ref that cannot be read).</summary>
    /// <param name="settings">NBGV's MSBuild inputs, joined.</param>
    public static string? Key(string projectDirectory, string settings)
    {
        var text = new StringBuilder(settings).Append('\0');
        string head;
        bool known;
        try
        {
            head = Head(Path.GetFullPath(projectDirectory), out known);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (!known)
        {
            return null;
        }

        text.Append(head).Append('\0');
        for (var directory = Path.GetFullPath(projectDirectory); !string.IsNullOrEmpty(directory); directory = Path.GetDirectoryName(directory))
        {
            foreach (var name in new[] { "version.json", ".version" })
            {
                var file = Path.Combine(directory, name);
                if (File.Exists(file))
                {
                    try
                    {
                        text.Append(file).Append('=').Append(File.ReadAllText(file)).Append('\0');
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        return null;
                    }
                }
            }
        }

        // NBGV reads cloud build systems' variables (branch, build number) and its own; all of them are in the key.
        var variables = new List<string>();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            variables.Add(variable.Key + "=" + variable.Value);
        }

        variables.Sort(StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            text.Append(variable).Append('\0');
        }

        return ContentKey.Of(text.ToString());
    }

    /// <summary>The recorded properties when the record has this key; null otherwise.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>>? TryRead(string recordFile, string key)
    {
        try
        {
            if (!File.Exists(recordFile))
            {
                return null;
            }

            var lines = File.ReadAllLines(recordFile);
            if (lines.Length < 2 || lines[0] != Header || lines[1] != "key\t" + key)
            {
                return null;
            }

            var properties = new List<KeyValuePair<string, string>>();
            foreach (var parts in lines.Skip(2).Select(l => l.Split('\t')))
            {
                if (parts.Length != 3 || parts[0] != "property")
                {
                    return null;
                }

                properties.Add(new KeyValuePair<string, string>(parts[1], parts[2]));
            }

            return properties.Count > 0 ? properties : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records the properties (nothing, when a value cannot be written on one line).</summary>
    public static void Write(string recordFile, string key, IEnumerable<KeyValuePair<string, string>> properties)
    {
        var list = properties.ToList();
        if (list.Any(p => (p.Key + p.Value).IndexOfAny(new[] { '\t', '\r', '\n' }) >= 0))
        {
            return;
        }

        var text = Header + "\nkey\t" + key + "\n" + string.Concat(list.Select(p => "property\t" + p.Key + "\t" + p.Value + "\n"));
        try
        {
            AtomicFile.Write(recordFile, Encoding.UTF8.GetBytes(text), Diagnostics.ErrorCodes.InfOutputFailed);
        }
        catch (Diagnostics.WdkException)
        {
            // Without a record the next build asks NBGV again, which is all a record saves.
        }
    }

    /// <summary>What HEAD points at: a commit id, or "no git" outside a repository.</summary>
    private static string Head(string projectDirectory, out bool known)
    {
        known = true;
        var gitDirectory = FindGitDirectory(projectDirectory);
        if (gitDirectory is null)
        {
            return "no git";
        }

        known = false;
        var headFile = Path.Combine(gitDirectory, "HEAD");
        if (gitDirectory.Length == 0 || !File.Exists(headFile))
        {
            return string.Empty;
        }

        var head = File.ReadAllText(headFile).Trim();
        if (!head.StartsWith("ref: ", StringComparison.Ordinal))
        {
            known = head.Length >= 40;
            return head;
        }

        // Refs live in the common folder, which a worktree names in its commondir file.
        var reference = head.Substring(5).Trim();
        var commonFile = Path.Combine(gitDirectory, "commondir");
        var common = File.Exists(commonFile) ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(commonFile).Trim())) : gitDirectory;
        var loose = Path.Combine(common, reference.Replace('/', Path.DirectorySeparatorChar));
        string? commit = File.Exists(loose) ? File.ReadAllText(loose).Trim() : null;
        var packed = Path.Combine(common, "packed-refs");
        if (commit is null && File.Exists(packed))
        {
            commit = File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == reference)?[0];
        }

        known = commit is { Length: >= 40 };
        return head + " " + commit;
    }

    /// <summary>The .git folder above the project, or the folder a .git file (a worktree, a submodule) points at.</summary>
    private static string? FindGitDirectory(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            var git = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(git))
            {
                return git;
            }

            if (File.Exists(git))
            {
                var line = File.ReadAllText(git).Trim();
                // Empty for a .git file that names no folder: the state cannot be told.
                return line.StartsWith("gitdir:", StringComparison.Ordinal) ? Path.GetFullPath(Path.Combine(current.FullName, line.Substring(7).Trim())) : string.Empty;
            }
        }

        return null;
    }
}
