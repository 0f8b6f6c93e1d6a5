using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WdkDriver.WindowsLane;

/// <summary>
/// Why a test does not run in the Windows lane: its trait <c>WindowsLane</c> (on the test, its class or its assembly),
/// or, for a test that runs a Linux program, the <c>WindowsLane</c> property of its fact attribute (tests/Shared's
/// tool attributes). Never a silent skip: the lane prints each exclusion and counts them by reason.
/// </summary>
internal static class Exclusion
{
    public const string Trait = "WindowsLane";

    public static string? Reason(ITestCase testCase)
    {
        if (testCase.Traits.TryGetValue(Trait, out var reasons) && reasons.Count > 0)
        {
            return reasons[0];
        }

        foreach (var attribute in testCase.TestMethod.Method.GetCustomAttributes(typeof(FactAttribute)).OfType<IReflectionAttributeInfo>())
        {
            if (attribute.Attribute.GetType().GetProperty(Trait)?.GetValue(attribute.Attribute) is string { Length: > 0 } reason)
            {
                return reason;
            }
        }

        return null;
    }
}
