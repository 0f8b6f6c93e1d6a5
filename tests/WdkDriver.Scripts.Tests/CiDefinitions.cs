using YamlDotNet.RepresentationModel;

namespace WdkDriver.Scripts.Tests;

/// <summary>A script a CI definition runs: where it is, its step's name and the shell that runs it.</summary>
public sealed record CiScript(string File, string Step, string Shell, string Text)
{
    public override string ToString() => $"{System.IO.Path.GetFileName(File)}: {Step}";
}

/// <summary>The CI definitions this repository and its template ship, and the scripts their steps run.</summary>
public static class CiDefinitions
{
    public static string Template => Path.Combine(RepositoryPaths.Root, "templates", "content", "wdkdriver");

    public static IReadOnlyList<string> Workflows { get; } =
        Directory.GetFiles(Path.Combine(RepositoryPaths.Root, ".github", "workflows"), "*.yml")
            .Concat(Directory.GetFiles(Path.Combine(Template, ".github", "workflows"), "*.yml"))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string AzurePipeline => Path.Combine(Template, "azure-pipelines.yml");

    /// <summary>
    /// Every script of a definition: GitHub's <c>run</c> (bash unless the job's defaults or the step say pwsh), Azure
    /// Pipelines' <c>script</c> and an AzureCLI task's <c>inlineScript</c>.
    /// </summary>
    public static IEnumerable<CiScript> Scripts(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }

        return Walk(file, yaml.Documents[0].RootNode, "bash", "(unnamed)");
    }

    public static CiScript Script(string file, string step) => Scripts(file).Single(s => s.Step == step);

    private static IEnumerable<CiScript> Walk(string file, YamlNode node, string shell, string name)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence.Children.SelectMany(child => Walk(file, child, shell, name));
        }

        if (node is not YamlMappingNode mapping)
        {
            return Enumerable.Empty<CiScript>();
        }

        shell = Scalar(mapping, "shell") ?? (Child(mapping, "defaults") is YamlMappingNode defaults && Child(defaults, "run") is YamlMappingNode run ? Scalar(run, "shell") : null) ?? shell;
        // A task's inputs hold its script; the step around them has the name.
        name = Scalar(mapping, "name") ?? Scalar(mapping, "displayName") ?? name;
        var own = new[] { "run", "script", "inlineScript" }
            .Select(key => Scalar(mapping, key))
            .Where(text => text is not null)
            .Select(text => new CiScript(file, name, shell, text!));
        return own.Concat(mapping.Children.Where(c => c.Value is not YamlScalarNode).SelectMany(c => Walk(file, c.Value, shell, name)));
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;
}
