using System;
using System.IO;
using System.Threading;

namespace WdkDriver.Core.IO;

/// <summary>An exclusive lock file between processes: whoever opens it first holds it until disposing it.</summary>
public static class FileLock
{
    /// <exception cref="IOException">Another process still holds the lock after <paramref name="timeout"/>.</exception>
    public static FileStream Acquire(string path, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }
}
