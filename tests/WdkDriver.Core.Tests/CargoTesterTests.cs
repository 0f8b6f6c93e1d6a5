using WdkDriver.Core.Cargo;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests;

public class CargoTesterTests : IDisposable
{
    private readonly TempDirectory temp = new("cargo-test");

    public void Dispose() => temp.Dispose();

    [CargoFact]
    public void A_failing_test_is_WDK1022_at_the_line_that_panicked_and_the_driver_crate_is_left_out() =>
        FailingTestIsLocated(Requirements.Cargo!);

    /// <summary>Debian's rustc 1.63 prints panics the old way: message first, spanning lines, then the location.</summary>
    [WindowsRustFact]
    public void Debians_older_panic_format_is_located_too() => FailingTestIsLocated("/usr/bin/cargo");

    private void FailingTestIsLocated(string cargo)
    {
        temp.Write("Cargo.toml", "[workspace]\nmembers = [\"shared\", \"drv\"]\n");
        temp.Write("shared/Cargo.toml", "[package]\nname = \"shared\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        var source = temp.Write("shared/src/lib.rs", """
            pub fn double(x: u32) -> u32 { x * 2 }

            #[cfg(test)]
            mod tests {
                #[test]
                fn doubles() { assert_eq!(super::double(2), 4); }

                #[test]
                fn is_wrong() {
                    assert_eq!(super::double(2), 5);
                }
            }
            """);
        // A driver crate does not build for the host; excluded, it is not even compiled.
        temp.Write("drv/Cargo.toml", "[package]\nname = \"drv\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        temp.Write("drv/src/lib.rs", "this is not rust");
        var sink = new RecordingSink();

        var passed = new CargoTester(ProcessRunner.Instance, sink).Run(cargo, Path.Combine(Path.GetDirectoryName(cargo)!, "rustc"), temp.Combine("Cargo.toml"), new[] { "drv" }, default);

        Assert.False(passed);
        var failure = Assert.Single(sink.Diagnostics);
        Assert.Equal("WDK1022", failure.Code);
        Assert.Equal(source, failure.File);
        Assert.Equal(10, failure.Line);
        Assert.StartsWith("test tests::is_wrong failed", failure.Message);
        Assert.Contains(sink.Infos, m => m.StartsWith("test result: FAILED. 1 passed; 1 failed", StringComparison.Ordinal));
    }
}
