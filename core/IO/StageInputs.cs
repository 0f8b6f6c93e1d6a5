using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.IO;

/// <summary>
/// The record of what a build stage depends on besides its input files: its settings, and the bytes of files named by
/// a setting (a certificate replaced in place may keep an older time stamp). A stage lists the record among its
/// Inputs, and the record is written only when its text changes (as the .NET SDK's CoreCompileInputs.cache), so a
/// stage runs again exactly when a setting changed. Never give it a secret: it is a plain text file.
/// </summary>
public static class StageInputs
{
    /// <summary>The record's text: the settings as given, then each file's SHA-256 (or "missing").</summary>
    public static string Describe(IEnumerable<string> settings, IEnumerable<string> files)
    {
        var text = new StringBuilder();
        foreach (var setting in settings)
        {
            text.Append(setting).Append('\n');
        }

        foreach (var file in files.Where(f => f.Length > 0))
        {
            text.Append("file ").Append(file).Append(" = ").Append(Hash(file)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes <paramref name="text"/> unless the record already says it; true when it was written.</summary>
    public static bool Write(string path, string text)
    {
        var bytes = new UTF8Encoding(false).GetBytes(text);
        try
        {
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                return false;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable: written anew below, which reports a real failure.
        }

        AtomicFile.Write(path, bytes, ErrorCodes.StageInputsUnwritable);
        return true;
    }

    private static string Hash(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var sha = SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(stream)).Replace("-", string.Empty);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "missing";
        }
    }
}
