using System.Text.RegularExpressions;
using Caravan.Features.Sources;
using Caravan.Shared;

namespace Caravan.Features.Seed;

/// <summary>
/// What the sections share while a dataset is validated: the dataset, the problems found so far (with their JSON
/// path; <see cref="SeedFile"/> adds the lines), the ids each section declared, and the checks they all use.
/// </summary>
public sealed partial class SeedValidation(SeedDataset dataset)
{
    private readonly Dictionary<string, HashSet<string>> _ids = new(StringComparer.Ordinal);

    public SeedDataset Dataset { get; } = dataset;
    public List<SeedProblem> Problems { get; } = [];

    public void Fail(string path, string reason) => Problems.Add(new SeedProblem(0, path, reason));

    /// <summary>
    /// Checks that the ids of a list are valid and unique, and declares them for the sections after it.
    /// </summary>
    public HashSet<string> Ids<T>(string property, List<T> rows, Func<T, string> id, Func<string, bool>? valid = null,
        string? expected = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var value = id(rows[i]);
            if (string.IsNullOrEmpty(value) || !(valid?.Invoke(value) ?? Slug().IsMatch(value)))
                Fail($"$.{property}[{i}].id", $"'{value}' is not a valid id "
                    + $"({expected ?? "lower-case words joined by hyphens, e.g. astana-declaration-2025"})");
            else if (!seen.Add(value)) Fail($"$.{property}[{i}].id", $"the id '{value}' is used twice");
        }
        _ids[property] = seen;
        return seen;
    }

    /// <summary>
    /// The ids the section <typeparamref name="TSection"/> declared (it must come first: see
    /// <see cref="SeedSection.Order"/>).
    /// </summary>
    public HashSet<string> IdsOf<TSection>() where TSection : SeedSection
    {
        var property = SeedSections.All.OfType<TSection>().Single().Property!;
        return _ids.TryGetValue(property, out var ids) ? ids
            : throw new InvalidOperationException(
                $"the seed section '{property}' must be validated before the sections that refer to it");
    }

    public void Ref(string path, string? value, HashSet<string> known, string what, bool required = false)
    {
        if (value is null) { if (required) Fail(path, $"a {what} is required"); return; }
        if (!known.Contains(value)) Fail(path, $"unknown {what} '{value}'");
    }

    public void Date(string path, string? value)
    {
        if (value is not null && !PartialDate.TryParse(value, out _))
            Fail(path, $"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
    }

    public void Text(string path, LocalizedText? text, bool required)
    {
        if ((text is null || text.IsEmpty) && required) Fail(path, "a text in at least one of en, zh, ru is required");
    }

    public void Translated(string path, List<string> languages)
    {
        foreach (var language in languages)
            if (!LocalizedText.Languages.Contains(language)) Fail(path, $"'{language}' is not en, zh or ru");
    }

    public void Enum<T>(string path, string? value) where T : struct, System.Enum
    {
        if (!SeedEnums.TryParse<T>(value, out _))
            Fail(path,
                $"'{value}' is not one of {string.Join(", ", System.Enum.GetValues<T>().Select(SeedEnums.ToKebab))}");
    }

    /// <summary>Every fact needs at least one known source, each cited once with a confidence.</summary>
    public void Cited(string at, ICitedSeedRow row)
    {
        if (row.Citations.Count == 0) Fail($"{at}.citations", "every fact needs at least one source");
        for (var i = 0; i < row.Citations.Count; i++)
        {
            var c = row.Citations[i];
            if (!Dataset.Sources.ContainsKey(c.Source ?? ""))
                Fail($"{at}.citations[{i}].source", $"unknown source '{c.Source}'");
            if (!SeedEnums.TryParse<Confidence>(c.Confidence, out _))
                Fail($"{at}.citations[{i}].confidence", $"'{c.Confidence}' is not high, medium or low");
        }
        if (row.Citations.GroupBy(c => c.Source).Any(g => g.Count() > 1))
            Fail($"{at}.citations", "a source is cited twice");
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")] public static partial Regex Slug();
    [GeneratedRegex("^[a-z]{2,3}$")] public static partial Regex LanguageCode();
}
