using Microsoft.Build.Framework;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Opens the signing key source as signing would and says who signs (<see cref="SigningTask.SignerIdentity"/>), for
/// the signing stages' record of their settings: a build under another certificate signs again, and one whose
/// certificate cannot be opened fails even when the signed files are up to date.
/// </summary>
public sealed class ResolveSigningIdentity : SigningTask
{
    [Output]
    public string Identity { get; private set; } = string.Empty;

    protected override void ExecuteCore() => Identity = SignerIdentity();
}
