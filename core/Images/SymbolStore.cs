using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Images;

/// <summary>
/// A symbol store as symstore add lays it out and SymSrv (WinDbg's .sympath srv*&lt;store&gt;) reads it: a PDB under
/// &lt;name&gt;.pdb/&lt;GUID, 32 hex digits&gt;&lt;age in hex&gt;/&lt;name&gt;.pdb, an image under
/// &lt;name&gt;.sys/&lt;TimeDateStamp, 8 hex digits&gt;&lt;SizeOfImage in hex&gt;/&lt;name&gt;.sys. Keys are upper case, as
/// Microsoft's symbol server answers them. The files are copied as they are: the same files, the same store.
/// </summary>
public static class SymbolStore
{
    /// <summary>Where the file goes in a store, relative to it, with forward slashes.</summary>
    public static string KeyOf(string path)
    {
        var name = Path.GetFileName(path);
        if (PeHeaders.TryRead(path) is { } image)
        {
            return $"{name}/{image.TimeDateStamp.ToString("X8", CultureInfo.InvariantCulture)}{image.SizeOfImage.ToString("X", CultureInfo.InvariantCulture)}/{name}";
        }

        var pdb = ProgramDatabase.Read(path);
        return $"{name}/{ProgramDatabase.Key(pdb.Guid, pdb.Age)}/{name}";
    }

    /// <summary>Adds each file (an image or a PDB) to the store, replacing what its key held (a key names one build). Returns the places written.</summary>
    public static IReadOnlyList<string> Add(IEnumerable<string> files, string store)
    {
        var written = new List<string>();
        foreach (var file in files)
        {
            var target = Path.Combine(store, KeyOf(file).Replace('/', Path.DirectorySeparatorChar));
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                AtomicFile.Write(target, File.ReadAllBytes(file), ErrorCodes.SymbolStoreWriteFailed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SymbolStoreWriteFailed, $"Cannot add '{file}' to the symbol store '{store}': {e.Message}", file), e);
            }

            written.Add(target);
        }

        return written;
    }
}
