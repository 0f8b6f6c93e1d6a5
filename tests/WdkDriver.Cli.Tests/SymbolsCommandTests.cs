namespace WdkDriver.Cli.Tests;

/// <summary><c>wdkdriver symbols</c>: a store of images and PDBs that lld-link wrote, and a stale PDB refused.</summary>
public sealed class SymbolsCommandTests : IDisposable
{
    private readonly TempDirectory temp = new("cli-symbols");

    public void Dispose() => temp.Dispose();

    [LlvmFact]
    public void Add_files_an_image_and_its_PDB_under_their_keys_and_check_refuses_a_PDB_of_another_build()
    {
        var (image, pdb) = LldDriver.Link(temp.Combine("arm64"), "contoso", "arm64");
        var (_, stale) = LldDriver.Link(temp.Combine("old"), "contoso", "arm64", "old");
        var store = temp.Combine("My Symbols");

        var added = Wdkdriver.Run("symbols", "add", image, pdb, "--store", store);

        Assert.True(added.ExitCode == 0, added.ToString());
        var places = added.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, places.Length);
        Assert.Matches(@"/My Symbols/contoso\.sys/[0-9A-F]{8}[0-9A-F]+/contoso\.sys$", places[0]);
        Assert.Matches(@"/My Symbols/contoso\.pdb/[0-9A-F]{33,}/contoso\.pdb$", places[1]);
        Assert.Equal(File.ReadAllBytes(pdb), File.ReadAllBytes(places[1]));

        var good = Wdkdriver.Run("symbols", "check", image, pdb);
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains($"{pdb}: matches {image}", good.Output);

        var bad = Wdkdriver.Run("symbols", "check", image, stale);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"{stale}: error WDK5062: contoso.pdb (", bad.Error);
        Assert.Contains("NOT VALID", bad.Output);

        var notSymbols = Wdkdriver.Run("symbols", "add", temp.Write("notes.txt", "hello"), "--store", store);
        Assert.Equal(1, notSymbols.ExitCode);
        Assert.Contains("error WDK5063", notSymbols.Error);
    }
}
