using System;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace WdkDriver.Core.Catalogs;

/// <summary>Per-file work (a catalog's digests, files to sign) spread over the cores or a bound; a failure surfaces as the exception it was, not an AggregateException.</summary>
internal static class ParallelWork
{
    /// <param name="maxParallelism">How many at once; 0: one per core.</param>
    public static void For(int count, int maxParallelism, Action<int> body)
    {
        try
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
            Parallel.For(0, count, options, body);
        }
        catch (AggregateException e)
        {
            // A file that cannot be read fails the catalog with its own coded error, as a sequential run would.
            // The work a failure cancelled is not the failure.
            ExceptionDispatchInfo.Capture(e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
