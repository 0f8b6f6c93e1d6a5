using System;
using System.Collections.Generic;
using System.Linq;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>
/// INF1199: syntax newer than an OS version must only be reachable on that version or later. Each models section of
/// [Manufacturer] installs from the OS version its decoration names (none: any); the rule follows it to the install
/// sections it reaches (DDInstall, its companion sections, and what their directives name) and reports a use only
/// where one of those starts below the syntax's version. [DefaultInstall] sections are not models' DDInstall
/// sections and are not checked: InfVerif's text speaks of DDInstall sections and the models' TargetOSVersion
/// decoration, and Microsoft's samples CI passes, in universal mode, a sample whose undecorated
/// [DefaultInstall.NTAMD64] copies its driver to DIRID 13.
/// </summary>
internal static class TargetOsRules
{
    /// <summary>DIRID 13, the driver store, exists from Windows 10 1709 (build 16299).</summary>
    private const int Dirid13Build = 16299;

    public static void Check(InfCheck check)
    {
        var reported = new HashSet<(int, int)>();
        foreach (var (install, from, description) in InstallRoots(check))
        {
            if (from.IsAtLeast(10, 0, Dirid13Build))
            {
                continue;
            }

            foreach (var use in Reach(check, install).SelectMany(section => Dirid13Uses(check, section)))
            {
                if (reported.Add((use.Line, use.Column)))
                {
                    check.Report(
                        1199,
                        $"The syntax 'DIRID 13' was introduced in OS version 10.0.{Dirid13Build}, but [{install.Name}] uses it and {description} on earlier versions. Restrict that to 10.0.{Dirid13Build} or later with a TargetOSVersion decoration such as NT$ARCH$.10.0...{Dirid13Build}.",
                        use);
                }
            }
        }
    }

    /// <summary>The models' DDInstall sections, with the lowest OS version each installs on.</summary>
    private static IEnumerable<(InfSection Install, TargetOsVersion From, string Description)> InstallRoots(InfCheck check)
    {
        foreach (var manufacturer in check.Named("Manufacturer").SelectMany(s => s.Entries).Where(e => e.Value.Length > 0))
        {
            foreach (var decoration in manufacturer.Values.Skip(1).Where(d => d.Length > 0).DefaultIfEmpty(string.Empty))
            {
                var from = TargetOsVersion.Parse(decoration);
                if (from is null)
                {
                    continue; // INF1287 reports it.
                }

                var models = decoration.Length == 0 ? manufacturer.Value : manufacturer.Value + "." + decoration;
                foreach (var model in check.Named(models).SelectMany(s => s.Entries).Where(e => e.Value.Length > 0))
                {
                    var install = DdInstall(check, model.Value, from.Architecture);
                    if (install is not null)
                    {
                        yield return (install, from, $"is installed from models [{models}]");
                    }
                }
            }
        }
    }

    /// <summary>The DDInstall section Windows picks for a model: the most specific of name.NT&lt;arch&gt;, name.NT, name.</summary>
    private static InfSection? DdInstall(InfCheck check, string name, string architecture)
    {
        var candidates = architecture.Length > 0 ? new[] { $"{name}.NT{architecture}", $"{name}.NT", name } : new[] { $"{name}.NT", name };
        return candidates.Select(candidate => check.Document.FindSection(candidate)).FirstOrDefault(section => section is not null);
    }

    /// <summary>An install section, its companion sections and every section their directives name, transitively.</summary>
    private static IEnumerable<InfSection> Reach(InfCheck check, InfSection install)
    {
        var seen = new HashSet<InfSection>();
        var pending = new Stack<InfSection>();
        pending.Push(install);
        foreach (var companion in InfCheck.Companions(install.Name).SelectMany(check.Named))
        {
            pending.Push(companion);
        }

        while (pending.Count > 0)
        {
            var section = pending.Pop();
            if (!seen.Add(section))
            {
                continue;
            }

            yield return section;
            foreach (var (_, name, _) in SectionRules.References(check, section))
            {
                foreach (var referenced in check.Named(name))
                {
                    pending.Push(referenced);
                }
            }
        }
    }

    /// <summary>Entries of a section that use DIRID 13: a CopyFiles to a list whose destination is 13, or a %13% path.</summary>
    private static IEnumerable<InfEntry> Dirid13Uses(InfCheck check, InfSection section)
    {
        foreach (var entry in section.Entries)
        {
            if (entry.KeyIs("CopyFiles") && entry.Values.Any(list => list.Length > 0 && IsDirid13(check, check.DestinationOf(list))))
            {
                yield return entry;
            }
            else if (entry.Values.Any(value => value.IndexOf("%13%", StringComparison.Ordinal) >= 0))
            {
                yield return entry;
            }
        }
    }

    private static bool IsDirid13(InfCheck check, InfEntry? destination) =>
        destination is not null && check.Resolve(destination.Value).Trim() == "13";
}
