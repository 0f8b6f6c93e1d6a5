using System.Collections.Generic;
using System.Linq;

namespace WdkDriver.Core.Inf;

/// <summary>A service an INF adds: its AddService directive, its service-install section, and the file it runs.</summary>
/// <param name="Binary">The ServiceBinary entry; null when the section has none.</param>
/// <param name="FileName">The file ServiceBinary names, without its folder (<c>%12%\booster.sys</c> gives <c>booster.sys</c>); empty without one.</param>
public sealed record InfService(InfEntry AddService, InfSection Install, InfEntry? Binary, string FileName)
{
    /// <summary>Every AddService of the INF whose service-install section exists, with that section's ServiceBinary.</summary>
    public static IEnumerable<InfService> All(InfDocument inf, InfStrings strings) =>
        from addService in inf.Sections.SelectMany(s => s.Find("AddService"))
        where addService.Values.Count > 2 && addService.Values[2].Trim().Length > 0
        from install in inf.FindSections(strings.Resolve(addService.Values[2]).Trim())
        let binary = install.First("ServiceBinary")
        select new InfService(addService, install, binary, FileNameOf(binary is null ? string.Empty : strings.Resolve(binary.Value)));

    private static string FileNameOf(string path) => path.Trim().Replace('/', '\\').Split('\\').Last();
}
