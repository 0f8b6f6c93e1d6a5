using System;
using System.Collections.Generic;
using System.Linq;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>System-defined device setup classes and their GUIDs (devguid.h), for the Class/ClassGuid checks.</summary>
public static class KnownClasses
{
    public static readonly Guid Sample = new("78a1c341-4539-11d3-b88d-00c04fad5171");

    private static readonly Dictionary<string, Guid> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Battery"] = new("72631e54-78a4-11d0-bcf7-00aa00b7b32a"),
        ["Biometric"] = new("53d29ef7-377c-4d14-864b-eb3a85769359"),
        ["Bluetooth"] = new("e0cbf06c-cd8b-4647-bb8a-263b43f0f974"),
        ["Camera"] = new("ca3e7ab9-b4c3-4ae6-8251-579ef933890f"),
        ["CDROM"] = new("4d36e965-e325-11ce-bfc1-08002be10318"),
        ["DiskDrive"] = new("4d36e967-e325-11ce-bfc1-08002be10318"),
        ["Display"] = new("4d36e968-e325-11ce-bfc1-08002be10318"),
        ["Extension"] = new("e2f84ce7-8efa-411c-aa69-97454ca4cb57"),
        ["HDC"] = new("4d36e96a-e325-11ce-bfc1-08002be10318"),
        ["HIDClass"] = new("745a17a0-74d3-11d0-b6fe-00a0c90f57da"),
        ["Image"] = new("6bdd1fc6-810f-11d0-bec7-08002be2092f"),
        ["Keyboard"] = new("4d36e96b-e325-11ce-bfc1-08002be10318"),
        ["LegacyDriver"] = new("8ecc055d-047f-11d1-a537-0000f8753ed1"),
        ["Media"] = new("4d36e96c-e325-11ce-bfc1-08002be10318"),
        ["Modem"] = new("4d36e96d-e325-11ce-bfc1-08002be10318"),
        ["Mouse"] = new("4d36e96f-e325-11ce-bfc1-08002be10318"),
        ["MultiFunction"] = new("4d36e971-e325-11ce-bfc1-08002be10318"),
        ["Net"] = new("4d36e972-e325-11ce-bfc1-08002be10318"),
        ["Ports"] = new("4d36e978-e325-11ce-bfc1-08002be10318"),
        ["Printer"] = new("4d36e979-e325-11ce-bfc1-08002be10318"),
        ["Sample"] = Sample,
        ["SCSIAdapter"] = new("4d36e97b-e325-11ce-bfc1-08002be10318"),
        ["SmartCardReader"] = new("50dd5230-ba8a-11d1-bf5d-0000f805f530"),
        ["SoftwareComponent"] = new("5c4c3332-344d-483c-8739-259e934c9cc8"),
        ["System"] = new("4d36e97d-e325-11ce-bfc1-08002be10318"),
        ["USB"] = new("36fc9e60-c465-11cf-8056-444553540000"),
        ["USBDevice"] = new("88bae032-5a81-49f0-bc3d-a4ff138216d6"),
        ["Volume"] = new("71a27cdd-812a-11d0-bec7-08002be2092f"),
    };

    public static Guid? GuidOf(string className) => ByName.TryGetValue(className, out var guid) ? guid : null;

    public static string? NameOf(Guid guid) => ByName.FirstOrDefault(pair => pair.Value == guid).Key;
}
