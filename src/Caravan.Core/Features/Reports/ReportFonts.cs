using System.Collections.Concurrent;

using SkiaSharp;

namespace Caravan.Features.Reports;

/// <summary>
/// The font the PDF and the charts are set in: one face that has Latin, Cyrillic and Chinese glyphs, so a Chinese
/// name in a Russian report draws as well as the report's own words. Default: Debian's fonts-noto-cjk, the
/// simplified Chinese face (SC) of its collection.
/// </summary>
public static class ReportFonts
{
    public const string DefaultFontFile = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    public const string DefaultBoldFontFile = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";

    /// <summary>
    /// Setting <c>Caravan:Reports:FontFile</c>: a .ttc, .otf or .ttf with CJK and Cyrillic glyphs. Read from the
    /// environment (<c>Caravan__Reports__FontFile</c>) unless the host sets it from its configuration.
    /// </summary>
    public static string FontFile { get; set; } =
        Environment.GetEnvironmentVariable("Caravan__Reports__FontFile") is { Length: > 0 } f ? f : DefaultFontFile;

    /// <summary>
    /// Setting <c>Caravan:Reports:BoldFontFile</c>: the bold face for headings; when the file is absent the regular
    /// face is emboldened instead.
    /// </summary>
    public static string BoldFontFile { get; set; } =
        Environment.GetEnvironmentVariable("Caravan__Reports__BoldFontFile") is { Length: > 0 } b ? b : DefaultBoldFontFile;

    private static readonly ConcurrentDictionary<string, SKTypeface> Loaded = new();

    /// <summary>The regular face; throws <see cref="ReportFontMissingException"/> naming the package to install.</summary>
    public static SKTypeface Regular => Load(FontFile, required: true)!;

    /// <summary>The bold face, or null when no bold file is installed (the writers then embolden the regular).</summary>
    public static SKTypeface? Bold => Load(BoldFontFile, required: false);

    private static SKTypeface? Load(string path, bool required)
    {
        if (Loaded.TryGetValue(path, out var loaded)) return loaded;
        if (!File.Exists(path))
        {
            if (!required) return null;
            throw new ReportFontMissingException(path);
        }
        var typeface = SimplifiedChineseFace(path)
            ?? throw new ReportFontMissingException(path, "it is not a font file Skia can read");
        return Loaded.GetOrAdd(path, typeface);
    }

    // A collection (.ttc) holds the same Latin and Cyrillic in every face but draws Han characters the Japanese,
    // Korean, simplified or traditional way: take the simplified Chinese face (the mechanism's Chinese is PRC's).
    private static SKTypeface? SimplifiedChineseFace(string path)
    {
        SKTypeface? first = null;
        for (var index = 0; index < 32; index++)
        {
            var face = SKTypeface.FromFile(path, index);
            if (face is null) break;
            if (face.FamilyName.EndsWith(" SC", StringComparison.Ordinal) && !face.FamilyName.Contains("Mono"))
            {
                if (!ReferenceEquals(first, face)) first?.Dispose();
                return face;
            }
            if (first is null) first = face;
            else face.Dispose();
        }
        return first;
    }
}

/// <summary>The report's font file is missing: says which file and which Debian package provides it.</summary>
public sealed class ReportFontMissingException(string path, string? reason = null) : Exception(
    $"The report font '{path}' cannot be used ({reason ?? "the file does not exist"}). Install Debian's package "
    + "fonts-noto-cjk (apt-get install fonts-noto-cjk), or set Caravan:Reports:FontFile "
    + "(Caravan__Reports__FontFile) to a font with Latin, Cyrillic and Chinese glyphs.")
{
    public string FontPath { get; } = path;
}
