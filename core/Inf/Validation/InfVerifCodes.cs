using System.Collections.Generic;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>
/// The severity of each InfVerif code this validator reports, per mode, from Microsoft's table (Universal /u and
/// Windows Driver /w). Desktop, which runs InfVerif without an isolation mode, takes the /u column (for every code
/// implemented here /u agrees with the table's mode without isolation rules); WHQL /h takes the /w column.
/// null: the mode does not report the code.
/// </summary>
public static class InfVerifCodes
{
    private const Severity E = Severity.Error;
    private const Severity W = Severity.Warning;

    private static readonly Dictionary<int, (Severity? Universal, Severity? WindowsDriver)> Table = new()
    {
        [1001] = (E, E), [1002] = (E, E), [1003] = (E, E), [1008] = (E, E), [1010] = (E, E), [1011] = (E, E),
        [1013] = (E, E), [1014] = (E, E), [1199] = (E, E), [1203] = (E, E), [1204] = (E, E), [1209] = (E, E),
        [1213] = (E, E), [1214] = (E, E), [1217] = (E, E), [1218] = (E, E), [1224] = (E, E), [1230] = (E, E),
        [1233] = (E, E), [1234] = (E, E), [1235] = (E, E), [1253] = (E, E), [1271] = (E, E), [1273] = (E, E),
        [1274] = (E, E), [1275] = (E, E), [1280] = (E, E), [1281] = (E, E), [1284] = (E, E), [1285] = (E, E),
        [1287] = (E, E), [1288] = (E, E), [1299] = (E, E), [1320] = (null, E), [1322] = (null, E), [1324] = (W, E),
        [1380] = (E, E), [1381] = (E, E), [2010] = (W, W), [2083] = (W, W), [2084] = (W, E), [2085] = (E, E),
    };

    /// <summary>The codes implemented, for documentation and tests.</summary>
    public static IEnumerable<int> Implemented => Table.Keys;

    public static Severity? SeverityOf(int code, InfVerifMode mode)
    {
        var (universal, windowsDriver) = Table[code];
        return mode is InfVerifMode.Universal or InfVerifMode.Desktop ? universal : windowsDriver;
    }
}
