using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

/// <summary>
/// The linker for an MSVC target where no link.exe exists (Linux, macOS). rustc's default for those targets is
/// <c>link.exe</c>; rust-lld links the same images (LLVM's lld-link behind rustup's and Debian's name). A project
/// that names its own linker keeps it: cargo's <c>--config</c>, which the SDK would use, outranks every configuration
/// file and variable, so the SDK looks where a project names one first.
/// </summary>
public static class MsvcLinker
{
    /// <summary>The linker the SDK passes for the toolchain's target, or null when it passes none (a Windows host,
    /// another target, or a project that names its own linker): rust-lld behind <see cref="ReproducibleLinker"/>,
    /// written into <paramref name="workspaceTarget"/> (cargo's target folder).</summary>
    public static string? For(
        RustToolchain toolchain,
        ToolchainSearch search,
        string workspaceRoot,
        IReadOnlyList<string> cargoArguments,
        Func<string, string?> environment,
        string? workspaceTarget = null)
    {
        var target = toolchain.Target;
        if (search.WindowsHost || !target.EndsWith("-windows-msvc", StringComparison.Ordinal) ||
            ProjectNamesLinker(target, workspaceRoot, cargoArguments, environment))
        {
            return null;
        }

        var linker = Find(toolchain, search) ?? throw new WdkException(Diagnostic.Error(
            ErrorCodes.MsvcLinkerMissing,
            $"No linker for {target} was found: rust-lld is neither in {toolchain.Sysroot}/lib/rustlib/*/bin (where rustup keeps it) " +
            $"nor beside {toolchain.Rustc} nor on PATH, and lld-link is not on PATH. Install lld (apt-get install lld), use rustup's toolchain, " +
            $"or name a linker in the workspace's .cargo/config.toml: [target.{target}] linker = \"...\"."));
        return ReproducibleLinker(linker, Path.Combine(workspaceTarget ?? Path.Combine(workspaceRoot, "target"), "wdkdriver-linker"));
    }

    /// <summary>
    /// rustc hands the linker files in a temporary folder of a random name (<c>deps/rustcXXXXXX/lib.def</c>, rust-lang/rust
    /// issue 71714), and lld records its command line in the PDB, whose hash becomes the PDB's GUID in the image under
    /// <c>/Brepro</c>: two builds of the same commit would differ. This script, named rust-lld so that rustc talks to it
    /// as to rust-lld, shows lld that folder under a fixed name (a link beside it, per output) and passes everything
    /// else through. Written only when its content changes; returns its path.
    /// </summary>
    public static string ReproducibleLinker(string linker, string folder)
    {
        var script = $$"""
            #!/bin/sh
            # Written by WdkDriver.Sdk (see MsvcLinker.ReproducibleLinker): runs the linker below with rustc's
            # temporary folder under a fixed name, so that the PDB, and the image that names it, are the same bytes
            # on every build of the same sources.
            lld={{ShellQuote(linker)}}
            tmp=
            out=
            for arg do
              case $arg in
                /DEF:*/lib.def) tmp=${arg#/DEF:}; tmp=${tmp%/lib.def} ;;
                /OUT:*) out=${arg##*/} ;;
              esac
            done
            [ -n "$tmp" ] && [ -d "$tmp" ] || exec "$lld" "$@"
            stable="${tmp%/*}/rustc-link-$out"
            rm -f "$stable"
            ln -s "${tmp##*/}" "$stable" || exec "$lld" "$@"
            for arg do
              shift
              case $arg in
                *"$tmp"*) arg="${arg%%"$tmp"*}$stable${arg#*"$tmp"}" ;;
              esac
              set -- "$@" "$arg"
            done
            "$lld" "$@"
            status=$?
            rm -f "$stable"
            exit $status

            """.Replace("\r\n", "\n");
        var path = Path.Combine(folder, "rust-lld");
        if (!File.Exists(path) || File.ReadAllText(path) != script)
        {
            // Executable before it is moved into place: a build of the other platform may be running it.
            IO.AtomicFile.Write(
                path,
                temporary =>
                {
                    File.WriteAllBytes(temporary, System.Text.Encoding.UTF8.GetBytes(script));
#if NET
                    // Written off Windows only: For passes no linker on a Windows host.
                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                    }
#endif
                },
                ErrorCodes.MsvcLinkerMissing);
        }

        return path;
    }

    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    /// <summary>rustup keeps rust-lld in the sysroot's host folder; Debian puts it beside rustc; lld's own name last.</summary>
    private static string? Find(RustToolchain toolchain, ToolchainSearch search)
    {
        var rustlib = Path.Combine(toolchain.Sysroot, "lib", "rustlib");
        var candidates = new List<string>();
        if (Directory.Exists(rustlib))
        {
            candidates.AddRange(Directory.EnumerateDirectories(rustlib).OrderBy(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin", "rust-lld")));
        }

        candidates.Add(Path.Combine(Path.GetDirectoryName(toolchain.Rustc) ?? string.Empty, "rust-lld"));
        var path = (search.PathVariable ?? string.Empty).Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries).Where(Path.IsPathRooted).ToList();
        candidates.AddRange(path.Select(d => Path.Combine(d, "rust-lld")));
        candidates.AddRange(path.Select(d => Path.Combine(d, "lld-link")));

        return candidates.FirstOrDefault(Runnable);
    }

    /// <summary>A file, or a symbolic link to one: File.Exists is true for a dangling link too (rustc-web's rust-lld
    /// points at an lld-22 that bookworm does not have).</summary>
    private static bool Runnable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
#if NET
        var info = new FileInfo(path);
        return info.LinkTarget is null || info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true };
#else
        return true;
#endif
    }

    /// <summary>
    /// Where cargo would take a linker for <paramref name="target"/> from: <c>CARGO_TARGET_&lt;TRIPLE&gt;_LINKER</c>,
    /// <c>-C linker=</c> in the rust flags variables, <c>linker</c> in the project's <c>CargoArguments</c>, and
    /// <c>[target.&lt;triple&gt;] linker</c> in <c>.cargo/config.toml</c> (or <c>.cargo/config</c>) of the workspace,
    /// every folder above it, and <c>CARGO_HOME</c>.
    /// </summary>
    public static bool ProjectNamesLinker(string target, string workspaceRoot, IReadOnlyList<string> cargoArguments, Func<string, string?> environment)
    {
        var triple = target.ToUpperInvariant().Replace('-', '_');
        if (!string.IsNullOrEmpty(environment($"CARGO_TARGET_{triple}_LINKER")))
        {
            return true;
        }

        foreach (var flags in new[] { "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", $"CARGO_TARGET_{triple}_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS" })
        {
            if ((environment(flags) ?? string.Empty).Contains("linker="))
            {
                return true;
            }
        }

        if (cargoArguments.Any(a => a.Contains("linker")))
        {
            return true;
        }

        var files = new List<string>();
        for (var directory = new DirectoryInfo(workspaceRoot); directory is not null; directory = directory.Parent)
        {
            files.Add(Path.Combine(directory.FullName, ".cargo", "config.toml"));
            files.Add(Path.Combine(directory.FullName, ".cargo", "config"));
        }

        var cargoHome = environment("CARGO_HOME") ?? Path.Combine(environment("HOME") ?? string.Empty, ".cargo");
        files.Add(Path.Combine(cargoHome, "config.toml"));
        files.Add(Path.Combine(cargoHome, "config"));
        return files.Where(File.Exists).Any(f => ConfigNamesLinker(File.ReadAllText(f), target));
    }

    /// <summary>A <c>linker</c> for the triple (bare or quoted) in any of TOML's spellings: <c>linker</c> in the
    /// <c>[target.&lt;triple&gt;]</c> table, <c>&lt;triple&gt;.linker</c> in <c>[target]</c>, or
    /// <c>target.&lt;triple&gt;.linker</c> before any table.</summary>
    public static bool ConfigNamesLinker(string toml, string target)
    {
        var triple = Regex.Escape(target);
        var name = $@"(?:{triple}|""{triple}""|'{triple}')";
        var keyIn = new Dictionary<string, Regex>
        {
            [""] = new($@"^\s*target\s*\.\s*{name}\s*\.\s*linker\s*="),
            ["target"] = new($@"^\s*{name}\s*\.\s*linker\s*="),
            ["triple"] = new(@"^\s*linker\s*="),
        };
        var header = new Regex(@"^\s*\[\s*([^\]]*?)\s*\]\s*(?:#.*)?$");
        var table = new Regex($@"^target\s*\.\s*{name}$");
        var current = "";
        foreach (var line in toml.Split('\n'))
        {
            if (header.Match(line) is { Success: true } match)
            {
                var tableName = match.Groups[1].Value;
                current = tableName == "target" ? "target" : table.IsMatch(tableName) ? "triple" : "other";
                continue;
            }

            if (keyIn.TryGetValue(current, out var key) && key.IsMatch(line))
            {
                return true;
            }
        }

        return false;
    }
}
