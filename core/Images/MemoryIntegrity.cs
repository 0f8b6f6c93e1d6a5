using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Images;

/// <summary>
/// What memory integrity (HVCI, on by default on new Windows 11 devices) requires of a driver image that its headers
/// show: no section both writable and executable, and sections that start on page boundaries (a SectionAlignment of a
/// whole number of 4 KiB pages). Windows refuses to load a driver that breaks either while memory integrity is on.
/// </summary>
public static class MemoryIntegrity
{
    private const uint Page = 0x1000;

    private const ushort NativeSubsystem = 1;

    /// <summary>The findings for a kernel-mode image (subsystem native); none for any other file, user-mode images included.</summary>
    public static IReadOnlyList<Diagnostic> Check(string path) => Check(PeHeaders.TryRead(path), path);

    /// <param name="image">The headers of <paramref name="path"/>, already read; null for a file that is no image.</param>
    public static IReadOnlyList<Diagnostic> Check(PeHeaders? image, string path)
    {
        if (image is null || image.Subsystem != NativeSubsystem)
        {
            return new List<Diagnostic>();
        }

        var name = Path.GetFileName(path);
        var findings = image.Sections
            .Where(s => (s.Characteristics & PeSection.Writable) != 0 && (s.Characteristics & PeSection.Executable) != 0)
            .Select(s => Diagnostic.Error(
                ErrorCodes.WritableExecutableSection,
                $"{name}'s section '{s.Name}' is both writable and executable, so Windows will not load the driver where memory integrity is on (the default on Windows 11): keep code and data in sections of their own (for instance, no /SECTION:{s.Name},RWE, no linker script merging .data into .text).",
                path))
            .ToList();
        if (image.SectionAlignment % Page != 0 || image.Sections.Any(s => s.VirtualAddress % Page != 0))
        {
            findings.Add(Diagnostic.Error(
                ErrorCodes.SectionsNotPageAligned,
                $"{name}'s sections are aligned to {image.SectionAlignment} bytes, not to 4 KiB pages, so Windows will not load the driver where memory integrity is on (the default on Windows 11): link without /ALIGN (or with /ALIGN:4096) and without --section-alignment.",
                path));
        }

        return findings;
    }
}
