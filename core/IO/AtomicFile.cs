using System;
using System.IO;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.IO;

public static class AtomicFile
{
    /// <summary>
    /// Writes beside the target, then moves into place: readers see the old file or the new one, never half of one.
    /// </summary>
    /// <param name="errorCode">The code for a failure, from the range of the step that writes.</param>
    /// <param name="ownerOnly">Readable and writable by the owner alone from the first byte on (private keys).</param>
    public static void Write(string path, byte[] bytes, string errorCode, bool ownerOnly = false) =>
        Write(
            path,
            temporary =>
            {
#if NET7_0_OR_GREATER
                if (ownerOnly && !OperatingSystem.IsWindows())
                {
                    using var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
                    stream.Write(bytes, 0, bytes.Length);
                    return;
                }
#endif
                File.WriteAllBytes(temporary, bytes);
            },
            errorCode);

    /// <summary>As <see cref="Write(string, byte[], string, bool)"/>, for a file that <paramref name="write"/> makes at the temporary path it is given.</summary>
    public static void Write(string path, Action<string> write, string errorCode)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            write(temporary);
#if NETFRAMEWORK
            if (File.Exists(full))
            {
                File.Replace(temporary, full, null);
            }
            else
            {
                File.Move(temporary, full);
            }
#else
            File.Move(temporary, full, overwrite: true);
#endif
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(errorCode, $"Cannot write '{full}': {e.Message}"), e);
        }
        finally
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the temporary name never collides with a real output.
            }
        }
    }
}
