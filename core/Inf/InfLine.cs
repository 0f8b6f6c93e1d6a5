namespace WdkDriver.Core.Inf;

/// <summary>
/// One physical line: its text, the line break that ended it ("" for the last line without one), and the line of the
/// file it was read from that it stands for (a line stamping rewrote or added stands for the one it replaced or follows).
/// </summary>
public sealed record InfLine(string Text, string Terminator, int Origin = 0);
