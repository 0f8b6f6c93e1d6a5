namespace WdkDriver.Core.Inf;

/// <summary>A line the parser could not make sense of (an unclosed section header or quote).</summary>
public sealed record InfParseError(int Line, int Column, string Message);
