using WdkDriver.Core.Inf;
using WdkDriver.Core.Inf.Validation;

namespace WdkDriver.Core.Tests.Inf;

/// <summary>Findings in a stamped INF are reported at the .inx the user edits, at its own line.</summary>
public sealed class InfSourceMapTests : IDisposable
{
    private readonly TempDirectory temp = new("source-map");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_finding_below_lines_stamping_added_is_reported_at_the_inx_line()
    {
        // No DriverVer and no CatalogFile: stamping adds both to [Version], above the missing section's line (8).
        var inx = temp.Write("demo.inx", string.Join("\r\n",
            "[Version]", "Signature = \"$WINDOWS NT$\"", "Provider = %P%", "PnpLockdown = 1", "Class = System", "ClassGuid = {4d36e97d-e325-11ce-bfc1-08002be10318}",
            "[DefaultInstall.NT$ARCH$]", "CopyFiles = Missing.Files", "[Strings]", "P = \"Contoso\"", string.Empty));
        var stamped = InfStamper.Stamp(InfDocument.Load(inx), new StampOptions("amd64", DriverVer.Parse("11/24/2026,1.2.3.4"), "demo.cat"));
        var output = temp.Combine("obj", "demo.inf");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllBytes(output, stamped.ToBytes());
        InfSourceMap.Write(output, inx, stamped);

        var finding = InfValidator.Validate(output, new InfVerifOptions()).Single(f => f.Code == "INF1203");
        var mapped = InfSourceMap.ToSource(finding);

        Assert.Equal(10, finding.Line);
        Assert.Equal(inx, mapped.File);
        Assert.Equal(8, mapped.Line);
        // A file without a map is left as it is.
        Assert.Equal(finding with { File = inx }, InfSourceMap.ToSource(finding with { File = inx }));
    }
}
