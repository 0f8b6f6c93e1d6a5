using System;
using System.Collections.Generic;

namespace WdkDriver.Core.Catalogs;

/// <summary>A catalog as read: the certificate trust list's header, members and catalog attributes.</summary>
/// <param name="Version">1 (SHA-1 members) or 2 (SHA-256 members with SHA-1 companions).</param>
public sealed record CatalogInfo(
    int Version,
    byte[]? ListIdentifier,
    DateTimeOffset ThisUpdate,
    IReadOnlyList<CatalogMember> Members,
    IReadOnlyList<KeyValuePair<string, string>> Attributes,
    bool IsSigned);
