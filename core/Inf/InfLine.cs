namespace WdkDriver.Core.Inf;

/// <summary>One physical line: its text and the line break that ended it ("" for the last line without one).</summary>
public sealed record InfLine(string Text, string Terminator);
