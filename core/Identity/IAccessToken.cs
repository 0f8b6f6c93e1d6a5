using System.Threading;
using System.Threading.Tasks;

namespace WdkDriver.Core.Identity;

/// <summary>A bearer token's source: Entra ID's client credentials, or a managed identity.</summary>
public interface IAccessToken
{
    /// <summary>Who the token stands for, as an error names it (an app's or identity's id; never a secret).</summary>
    string Who { get; }

    /// <summary>The current token; a new one when <paramref name="renew"/> (the service answered 401).</summary>
    Task<string> GetAsync(bool renew, CancellationToken cancellation);
}
