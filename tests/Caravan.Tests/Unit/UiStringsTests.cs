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
        // Keys built from enums: every value of every enum the portal shows has a name. (Qualifier is shown
        // through the format strings "qualifier.*", checked below; resource names ignore case, so it has no others.)
        foreach (var name in Enum.GetNames<Caravan.Features.Indicators.Qualifier>())
            Assert.True(en.ContainsKey($"qualifier.{Caravan.Features.Seed.SeedEnums.ToKebab(name)}"), name);
        foreach (var type in new[] { typeof(Caravan.Features.Mechanism.BodyKind), typeof(Caravan.Features.Mechanism.BodyStatus), typeof(Caravan.Features.Mechanism.MeetingStatus), typeof(Caravan.Features.Documents.DocumentKind), typeof(Caravan.Features.Documents.DocumentScope),
            typeof(Caravan.Features.Submissions.SubmissionStatus), typeof(Caravan.Features.Submissions.SubmissionAction),
            typeof(Caravan.Features.Treaties.TreatyStatus), typeof(Caravan.Features.Treaties.RatificationStepKind), typeof(Caravan.Features.Treaties.EntryIntoForceKind),
            typeof(Caravan.Features.Commitments.CommitmentStatus), typeof(Caravan.Features.Commitments.Freshness), typeof(Caravan.Features.Commitments.CommitmentKind),
            typeof(Caravan.Features.Commitments.CombineRule), typeof(Caravan.Features.Commitments.SnapshotChange), typeof(Caravan.Features.Projects.ProjectStage),
            typeof(Caravan.Features.Indicators.ClaimVerdict), typeof(Caravan.Features.Selections.SelectionPhase), typeof(Caravan.Features.Partnerships.PartnershipKind), typeof(Caravan.Features.Partnerships.PartnershipStatus),
            typeof(Caravan.Features.Rounds.RoundTaskStatus), typeof(Caravan.Features.Rounds.RoundWaitsFor),
            typeof(Caravan.Features.Notifications.NotificationKind), typeof(Caravan.Features.Notifications.MailState), typeof(Caravan.Features.Notifications.DigestChoice) })
            foreach (var name in Enum.GetNames(type))
                Assert.True(en.ContainsKey($"{type.Name}.{Caravan.Features.Seed.SeedEnums.ToKebab(name)}"), $"{type.Name}.{name}");
        // Each notification's mail: its subject, its text and the words of its link.
        foreach (var kind in Enum.GetValues<Caravan.Features.Notifications.NotificationKind>())
            foreach (var part in new[] { "subject", "body", "action" })
                Assert.True(en.ContainsKey($"mail.{Caravan.Web.Features.Notifications.NotificationTexts.KeyOf(kind)}.{part}"), $"{kind} {part}");
        // Keys built from names: roles, record kinds, their fields, the workflow's steps and messages.
        foreach (var role in Enum.GetValues<Caravan.Features.Accounts.CaravanRole>())
            Assert.True(en.ContainsKey("role." + Caravan.Features.Accounts.Caller.RoleName(role)) && en.ContainsKey("work.lead." + Caravan.Features.Accounts.Caller.RoleName(role)), role.ToString());
        foreach (var kind in Caravan.Features.Submissions.RecordKind.All)
        {
            Assert.True(en.ContainsKey("kind." + kind.Name), kind.Name);
            Assert.All(kind.Fields, f => Assert.True(en.ContainsKey("field." + f.Group), "field." + f.Group));
        }
        Assert.All(Caravan.Features.Rounds.RoundTaskSource.All, k => Assert.True(en.ContainsKey("round.kind." + k.Kind), k.Kind));
        Assert.All(Caravan.Features.Submissions.SubmissionSteps.All.Select(s => s.Name).Append("validate-publish"), step => Assert.True(en.ContainsKey("step." + step), step));
        var codes = Directory.EnumerateFiles(Path.Combine(WebFolder, "..", "Caravan.Core", "Features"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => MessageCode().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.True(codes.Count > 30, $"only {codes.Count} message codes found");
        Assert.DoesNotContain(codes, k => !en.ContainsKey(k));
    }

    /// <summary>
    /// One resource name, two meanings: a message code the core reports ("projects.status": "{0} is not an
    /// IATI activity status") also used by a page as a label showed the message as a column header. Labels
    /// and message codes must not share names, and a choice list's option names must exist as written
    /// (resource names ignore case only when the file is built, not when looked up).
    /// </summary>
    [Fact]
    public void Labels_never_share_a_name_with_a_message_code_and_every_choice_has_a_name()
    {
        var en = Strings("");
        var pageKeys = Directory.EnumerateFiles(WebFolder, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(f => UsedKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        var codes = Directory.EnumerateFiles(Path.Combine(WebFolder, "..", "Caravan.Core", "Features"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => MessageCode().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.Empty(pageKeys.Intersect(codes).Order());
        // A string written straight into a page is never a template: its placeholder would show.
        var bareLabels = Directory.EnumerateFiles(WebFolder, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(f => BareLabel().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.Empty(bareLabels.Where(k => en.TryGetValue(k, out var v) && v.Contains("{0}", StringComparison.Ordinal)).Order());
        foreach (var kind in Caravan.Features.Submissions.RecordKind.All)
            foreach (var field in kind.Fields.Where(f => f.Kind == Caravan.Features.Submissions.FieldKind.Choice))
                foreach (var choice in field.Choices!)
                {
                    Assert.True(en.TryGetValue($"{field.ChoiceNames}.{choice}", out var name), $"{kind.Name}.{field.Name}: no string {field.ChoiceNames}.{choice}");
                    Assert.False(name!.Contains('{', StringComparison.Ordinal), $"{kind.Name}.{field.Name}: the option {choice} is named by a template");
                }
    }

    [Fact]
    public void Every_string_is_a_valid_format_string()
    {
        foreach (var suffix in new[] { "", ".zh", ".ru" })
            Assert.All(Strings(suffix), kv =>
            {
                var ex = Record.Exception(() => string.Format(System.Globalization.CultureInfo.InvariantCulture, kv.Value, "a", "b", "c", "d", "e", "f"));
                Assert.True(ex is null, $"{suffix}: {kv.Key}: {ex?.Message}");
            });
    }

    // A message code is a whole string literal, not ending in a dot: "round.kind." + kind builds a key, it is not a code.
    [GeneratedRegex(@"""((?:field|record|submission|account|token|iati|rates|projects|ledger|selection|programme|partnership|round)\.[a-z0-9.-]*[a-z0-9-])""")]
    private static partial Regex MessageCode();

    [GeneratedRegex("""[lL]\["([a-z0-9.-]+)"\]""")]
    private static partial Regex UsedKey();

    /// <summary>A string written straight into the page (<c>@L["x"]</c>), not passed to a format.</summary>
    [GeneratedRegex("""@L\["([a-z0-9.-]+)"\]""")]
    private static partial Regex BareLabel();
}
