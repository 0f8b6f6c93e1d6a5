using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.DriverInstall;

/// <summary>
/// The install plan of one architecture's driver package as data, for the install scripts: the package carries it
/// (tools/install-plan.&lt;arch&gt;.json), so the scripts carry out the decision the installer's custom actions carry
/// out (<see cref="DriverInstallPlan"/>) instead of reading INFs on their own. Windows PowerShell 5.1 reads it with
/// ConvertFrom-Json.
/// </summary>
public static class InstallPlanFile
{
    /// <summary>The plan's path inside the package.</summary>
    public static string PackagePath(string architecture) => $"tools/install-plan.{architecture.ToLowerInvariant()}.json";

    /// <param name="infs">Each INF: where it is, and its name in the package's driver/&lt;arch&gt;/ folder.</param>
    public static void Write(string destination, string architecture, IEnumerable<(string Path, string Name)> infs)
    {
        var plans = infs.OrderBy(i => i.Name, System.StringComparer.OrdinalIgnoreCase).Select(i => (i.Name, Plan: DriverInstallPlan.For(i.Path, architecture))).ToList();
        AtomicFile.Write(destination, Render(architecture, plans), ErrorCodes.PackageLayoutFailed);
    }

    /// <summary>Indented, LF, no byte order mark: the same plan, the same bytes.</summary>
    internal static byte[] Render(string architecture, IReadOnlyList<(string Name, DriverInstallPlan Plan)> plans)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("architecture", architecture.ToLowerInvariant());
            json.WriteStartArray("infs");
            foreach (var (name, plan) in plans)
            {
                json.WriteStartObject();
                json.WriteString("inf", name);
                json.WriteString("kind", plan.Kind == DriverInstallKind.PlugAndPlay ? "PnP" : "DefaultInstall");
                json.WriteString("installSection", plan.InstallSection);
                json.WriteString("uninstallSection", plan.UninstallSection);
                json.WriteStartArray("services");
                foreach (var service in plan.Services)
                {
                    json.WriteStringValue(service.Name);
                }

                json.WriteEndArray();
                json.WriteStartArray("rootDevices");
                foreach (var id in plan.RootDevices)
                {
                    json.WriteStringValue(id);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        // The writer ends lines as the OS does; strings escape their own line ends, so every CR is one of those.
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n");
    }
}
