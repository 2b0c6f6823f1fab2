using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Caravan.Tests.Unit;

/// <summary>Every UI string the portal asks for exists in English, Chinese and Russian.</summary>
public sealed partial class UiStringsTests
{
    private static string WebFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Caravan.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("repository root"), "src", "Caravan.Web");
        }
    }

    private static Dictionary<string, string> Strings(string suffix) =>
        XDocument.Load(Path.Combine(WebFolder, "Resources", $"SharedResource{suffix}.resx")).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    [Fact]
    public void Chinese_and_Russian_have_every_string_english_has()
    {
        var en = Strings("");
        foreach (var suffix in new[] { ".zh", ".ru" })
        {
            var other = Strings(suffix);
            Assert.Equal(en.Keys.Order(), other.Keys.Order());
            Assert.All(other, kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), $"{suffix}: {kv.Key} is empty"));
        }
    }

    [Fact]
    public void Every_string_a_page_asks_for_exists()
    {
        var en = Strings("");
        var used = Directory.EnumerateFiles(WebFolder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => UsedKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.NotEmpty(used);
        Assert.DoesNotContain(used, k => !en.ContainsKey(k));
        // Keys built from enums: every value of every enum the portal shows has a name.
        foreach (var type in new[] { typeof(Caravan.Features.Mechanism.BodyKind), typeof(Caravan.Features.Mechanism.BodyStatus), typeof(Caravan.Features.Mechanism.MeetingStatus), typeof(Caravan.Features.Documents.DocumentKind), typeof(Caravan.Features.Documents.DocumentScope) })
            foreach (var name in Enum.GetNames(type))
                Assert.True(en.ContainsKey($"{type.Name}.{Caravan.Features.Seed.SeedEnums.ToKebab(name)}"), $"{type.Name}.{name}");
    }

    [GeneratedRegex("""[lL]\["([a-z0-9.-]+)"\]""")]
    private static partial Regex UsedKey();
}
