using System;
using System.Collections.Generic;

namespace WdkDriver.Core.IO;

/// <summary>Byte arrays compared byte by byte, a prefix first: the order of a catalog's members and of an installer's signed streams.</summary>
internal sealed class ByteOrder : IComparer<byte[]>
{
    public static readonly ByteOrder Instance = new();

    public int Compare(byte[]? x, byte[]? y)
    {
        for (var i = 0; i < Math.Min(x!.Length, y!.Length); i++)
        {
            if (x[i] != y[i])
            {
                return x[i].CompareTo(y[i]);
            }
        }

        return x.Length.CompareTo(y.Length);
    }
}
