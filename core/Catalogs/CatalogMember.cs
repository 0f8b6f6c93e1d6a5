using System.Collections.Generic;

namespace WdkDriver.Core.Catalogs;

/// <summary>One member of a catalog: its identifier, the file it names and the digest it holds for it.</summary>
/// <param name="Identifier">v1: the upper-case hex of the digest as UTF-16 with a NUL; v2: the digest itself.</param>
/// <param name="IsPe">From the member info: the PE SIP (Authenticode hash) or the flat one; null when not said.</param>
/// <param name="NameValues">Name-value attributes such as File and OSAttr.</param>
public sealed record CatalogMember(
    byte[] Identifier,
    string IdentifierText,
    string? DigestAlgorithm,
    byte[]? Digest,
    bool? IsPe,
    IReadOnlyDictionary<string, string> NameValues)
{
    public string? FileName => NameValues.TryGetValue("File", out var file) ? file : null;
}
