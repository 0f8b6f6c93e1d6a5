using System.Runtime.InteropServices;

namespace WdkDriver.Tests;

/// <summary>
/// A real PKCS#11 token: SoftHSM2 with its token store in a temporary folder (through SOFTHSM2_CONF), holding an RSA
/// code-signing key and its certificate imported with OpenSC's pkcs11-tool, as a vendor loads an EV token.
/// </summary>
internal sealed class SoftHsmToken : IDisposable
{
    public const string Label = "WDK EV token";
    public const string KeyLabel = "ev-signing-key";
    public const string Pin = "246810";
    public const string PinVariable = "WDK_TEST_TOKEN_PIN";

    private readonly TempDirectory temp = new("softhsm");

    public SoftHsmToken()
    {
        Directory.CreateDirectory(temp.Combine("tokens"));
        ConfigPath = temp.Write("softhsm2.conf", $"directories.tokendir = {temp.Combine("tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        Run("softhsm2-util", "--init-token", "--free", "--label", Label, "--so-pin", "13579", "--pin", Pin);
        Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-sha256",
            "-subj", "/CN=WdkDriver EV token test", "-addext", "extendedKeyUsage=codeSigning");
        Run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out", "key.der");
        Run("openssl", "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der");
        foreach (var (file, type) in new[] { ("key.der", "privkey"), ("cert.der", "cert") })
        {
            Run("pkcs11-tool", "--module", Module, "--token-label", Label, "--login", "--pin", Pin, "--write-object", file, "--type", type, "--label", KeyLabel, "--id", "4b01");
        }

        File.Delete(temp.Combine("key.der"));
    }

    /// <summary>Debian's SoftHSM2 module.</summary>
    public static string Module => "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>OpenSC's pkcs11-spy: a module that passes every call to the one PKCS11SPY names and logs it.</summary>
    public static string Spy => "/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so";

    /// <summary>How many times pkcs11-spy's log shows a call: each as "&lt;n&gt;: C_Function", then its arguments.</summary>
    public static int Calls(string log, string function) =>
        File.ReadLines(log).Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^\d+: {function}$"));

    public static bool Available =>
        File.Exists(Module) && File.Exists(Spy) && new[] { "softhsm2-util", "pkcs11-tool", "openssl", "osslsigncode" }.All(t => Requirements.FindOnPath(t) is not null);

    public string ConfigPath { get; }

    /// <summary>The signer's certificate (PEM) and, for the software comparison only, its key (PEM).</summary>
    public string CertificatePem => temp.Combine("cert.pem");

    public string CertificateDer => temp.Combine("cert.der");

    public string KeyPem => temp.Combine("key.pem");

    /// <summary>What a process that uses the token needs in its environment.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SOFTHSM2_CONF"] = ConfigPath, [PinVariable] = Pin };

    /// <summary>
    /// Puts the token's environment into this process, where the module reads it: .NET keeps its own copy of the
    /// environment on Unix, so the C library's is set too.
    /// </summary>
    public void EnterProcess()
    {
        foreach (var (name, value) in Environment)
        {
            SetInProcess(name, value);
        }
    }

    /// <summary>Sets a variable for .NET and for native code (a PKCS#11 module) in this process.</summary>
    public static void SetInProcess(string name, string value)
    {
        System.Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsWindows())
        {
            SetEnv(name, value, 1);
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);

    private void Run(string tool, params string[] arguments)
    {
        var (exitCode, output) = ToolProcess.Run(temp.Path, tool, arguments, new Dictionary<string, string> { ["SOFTHSM2_CONF"] = ConfigPath });
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(" ", arguments)}: {output}");
        }
    }

    public void Dispose() => temp.Dispose();
}

/// <summary>A test that signs with a key in SoftHSM2, checked by osslsigncode through OpenSSL's PKCS#11 engine.</summary>
public sealed class SoftHsmFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs SoftHSM2, pkcs11-tool, osslsigncode.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [SoftHSM2, pkcs11-tool, osslsigncode]";

    public SoftHsmFactAttribute()
    {
        Skip = Requirements.SkipReason(SoftHsmToken.Available, "SoftHSM2, OpenSC (pkcs11-tool), openssl or osslsigncode");
    }
}

/// <summary>A test that builds a driver with Rust and signs it with a key in SoftHSM2.</summary>
public sealed class WindowsRustSoftHsmFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs cargo, SoftHSM2, osslsigncode.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [cargo, SoftHSM2, osslsigncode]";

    public WindowsRustSoftHsmFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.WindowsRust, "Rust for x86_64-pc-windows-gnu (rustc, cargo, libstd-rust-dev-windows, mingw-w64)")
            ?? Requirements.SkipReason(SoftHsmToken.Available && Requirements.FindOnPath("gcab") is not null && Requirements.FindOnPath("cabextract") is not null, "SoftHSM2, OpenSC, osslsigncode, gcab or cabextract");
    }
}

/// <summary>A test of the native command signing with a key in SoftHSM2.</summary>
public sealed class NativeAotSoftHsmFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs clang (Native AOT), SoftHSM2.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [clang (Native AOT), SoftHSM2]";

    public NativeAotSoftHsmFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.FindOnPath("clang") is not null, "clang (for Native AOT)")
            ?? Requirements.SkipReason(SoftHsmToken.Available, "SoftHSM2, OpenSC (pkcs11-tool), openssl or osslsigncode");
    }
}
