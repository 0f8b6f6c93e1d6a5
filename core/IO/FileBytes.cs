using System;
using System.IO;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.IO;

/// <summary>Reads a whole input file; one that cannot be read is WDK3002 at the file, saying what it was read as.</summary>
public static class FileBytes
{
    /// <param name="what">What the file is read as, for the message: "the catalog", "the file to verify it".</param>
    public static byte[] Read(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read {what}: {e.Message}", path), e);
        }
    }
}
