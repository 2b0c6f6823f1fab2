using System.Globalization;
using System.Text.RegularExpressions;
using Caravan.Features.Seed;
using Caravan.Shared;

namespace Caravan.Features.Projects;

/// <summary>
/// A problem in a project sheet: the row (1 is the header, as a spreadsheet numbers it), the column, a message key and
/// its detail.
/// </summary>
public sealed record SheetProblem(int Row, string Column, Message Message)
{
    public SheetProblem(int row, string column, MessageCode code, params MessageArg[] args)
        : this(row, column, new Message(code, args)) { }
    public MessageCode Code => Message.Code;
}

/// <summary>
/// A sheet as read from CSV or XLSX: the header and each data row with its number, cells as written in the file.
/// </summary>
public sealed record SheetTable(IReadOnlyList<string> Header, IReadOnlyList<SheetLine> Lines);

public sealed record SheetLine(int Row, IReadOnlyList<string> Cells);

/// <summary>
/// A value the file gives for a column; a null <c>Given&lt;T&gt;?</c> means the column is absent and the stored value
/// stays.
/// </summary>
public readonly record struct Given<T>(T Value);

public sealed record CountryShare(string Code, decimal? Percentage);

/// <summary>One data row, checked and typed: only the columns present in the file are set.</summary>
public sealed class SheetRow
{
    public required int Row { get; init; }
    public required string Identifier { get; init; }
    /// <summary>
    /// The identifier was made from <c>external_id</c> under the secretariat's prefix: such a row may create a project.
    /// </summary>
    public bool FromExternalId { get; init; }
    public int? Version { get; set; }
    /// <summary>Language → text; a null text removes that language's narrative.</summary>
    public Dictionary<string, string?> Titles { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string?> Descriptions { get; } = new(StringComparer.Ordinal);
    public Given<string>? Status { get; set; }
    public Given<ProjectStage?>? Stage { get; set; }
    /// <summary>Column (planned_start…) → date; null removes the date.</summary>
    public Dictionary<string, DateOnly?> Dates { get; } = new(StringComparer.Ordinal);
    public Given<bool>? DatesEstimated { get; set; }
    public Given<bool>? AmountsEstimated { get; set; }
    public Given<string?>? Direction { get; set; }
    public Given<List<CountryShare>>? Countries { get; set; }
    public Given<List<string>>? Commitments { get; set; }
    public Given<bool>? Published { get; set; }
}

/// <summary>A project as stored, as far as the sheet reads and changes it.</summary>
public sealed record StoredProject(
    long Id, int Version, string Activity, string? DirectionId, ProjectStage? StageOverride, bool DatesEstimated,
    bool AmountsEstimated, bool Published, IReadOnlyList<string> Commitments);

/// <summary>
/// What a sheet is checked against: the secretariat (it reports new projects) and the ids that exist.
/// </summary>
public sealed record SheetContext(string Prefix, IatiOrg Secretariat, IReadOnlySet<string> Directions,
    IReadOnlySet<string> Commitments, DateTimeOffset Now);

/// <summary>
/// A row's outcome: a new project, or the stored one with the sheet's changes applied (none when unchanged).
/// </summary>
public sealed class PlannedProject
{
    public required int Row { get; init; }
    public required string Identifier { get; init; }
    /// <summary>Null for a new project.</summary>
    public required StoredProject? Stored { get; init; }
    public required IatiActivity Activity { get; init; }
    public string? DirectionId { get; init; }
    public ProjectStage? StageOverride { get; init; }
    public bool DatesEstimated { get; init; }
    public bool AmountsEstimated { get; init; }
    public bool Published { get; init; }
    public required List<string> Commitments { get; init; }
    /// <summary>The columns whose value changed (for a new project, those the row gave).</summary>
    public required List<string> Changed { get; init; }
    public bool IsNew => Stored is null;
    public bool ActivityChanged => IsNew || Changed.Any(ProjectSheet.IsActivityColumn);
    public bool CountriesChanged => IsNew || Changed.Contains(ProjectSheet.RecipientCountries);
    public bool CommitmentsChanged => IsNew || Changed.Contains(ProjectSheet.CommitmentsColumn);
}

/// <summary>
/// The project sheet (CSV or XLSX): one row per project, keyed by its IATI identifier, with the columns
/// the secretariat keeps up to date by hand. Plain functions, no database: <see cref="Parse"/> checks each
/// cell, <see cref="Plan"/> applies the rows to the stored projects (or creates new ones) and checks the
/// result, and <see cref="ToCells"/> writes a project back as a row, so that export → edit → import
/// changes exactly what was edited. Every problem names its row and column; one problem and nothing is stored.
/// </summary>
public static partial class ProjectSheet
{
    public const string IdentifierColumn = "identifier";
    public const string ExternalIdColumn = "external_id";
    public const string VersionColumn = "version";
    public const string StatusColumn = "status";
    public const string StageColumn = "stage";
    public const string RecipientCountries = "recipient_countries";
    public const string CommitmentsColumn = "commitments";
    public const string DirectionColumn = "direction";
    public const string PublishedColumn = "published";
    public const string DatesEstimatedColumn = "dates_estimated";
    public const string AmountsEstimatedColumn = "amounts_estimated";

    /// <summary>
    /// The narratives' languages the sheet has a column for; other languages in a record are kept as they are.
    /// </summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "ru", "zh"];

    /// <summary>The date columns and their IATI ActivityDateType codes.</summary>
    public static readonly IReadOnlyList<(string Column, string Type)> DateColumns =
        [("planned_start", "1"), ("planned_end", "3"), ("actual_start", "2"), ("actual_end", "4")];

    /// <summary>
    /// Shown on export, ignored on import: they come from the IATI record (transactions, organisations) or the system.
    /// </summary>
    public static readonly IReadOnlyList<string> ReadOnlyColumns = ["reporting_org", "participating_orgs",
        "transactions", "committed", "disbursed", "updated_at"];

    /// <summary>Every column, in the order of an export.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        IdentifierColumn, ExternalIdColumn, VersionColumn,
        .. Languages.Select(l => "title_" + l), .. Languages.Select(l => "description_" + l),
        StatusColumn, StageColumn, .. DateColumns.Select(d => d.Column), DatesEstimatedColumn, AmountsEstimatedColumn,
        DirectionColumn, RecipientCountries, CommitmentsColumn, PublishedColumn,
        .. ReadOnlyColumns,
    ];

    private static readonly HashSet<string> Known = new(Columns, StringComparer.Ordinal);
    private static readonly HashSet<string> ReadOnly = new(ReadOnlyColumns, StringComparer.Ordinal);

    /// <summary>
    /// The columns that live in the IATI record itself (so its JSON, hash and export change with them).
    /// </summary>
    public static bool IsActivityColumn(string column) =>
        column.StartsWith("title_", StringComparison.Ordinal)
            || column.StartsWith("description_", StringComparison.Ordinal)
        || column == StatusColumn || column == RecipientCountries || DateColumns.Any(d => d.Column == column);

    // ---- Cells ------------------------------------------------------------------------------------

    /// <summary>
    /// Formula injection (OWASP "CSV injection"): a spreadsheet runs a cell that begins with = + - @ (or a tab
    /// or carriage return) as a formula. On export such a cell gets a leading apostrophe, which spreadsheets
    /// read as "this is text". A value that already begins with apostrophes before such a character gets one
    /// more, so that <see cref="Unneutralise"/> gives back exactly the value, whatever it was.
    /// </summary>
    public static string Neutralise(string value)
    {
        var i = 0;
        while (i < value.Length && value[i] == '\'') i++;
        return i < value.Length && IsFormulaStart(value[i]) ? "'" + value : value;
    }

    /// <summary>
    /// The inverse of <see cref="Neutralise"/>: strips the one apostrophe that export put before such a cell, nothing
    /// else.
    /// </summary>
    public static string Unneutralise(string cell)
    {
        if (cell.Length == 0 || cell[0] != '\'') return cell;
        var i = 0;
        while (i < cell.Length && cell[i] == '\'') i++;
        return i < cell.Length && IsFormulaStart(cell[i]) ? cell[1..] : cell;
    }

    private static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    // ---- Parse ------------------------------------------------------------------------------------

    /// <summary>
    /// Checks the header and every cell of every row. A row is keyed by <c>identifier</c>, or by
    /// <c>external_id</c>, which becomes <c>{prefix}-{external_id}</c>. Absent columns are left out of the
    /// rows (the stored value stays); an empty cell clears an optional value.
    /// </summary>
    public static (List<SheetRow> Rows, List<SheetProblem> Problems) Parse(SheetTable table, string prefix)
    {
        var problems = new List<SheetProblem>();
        var header = table.Header.Select((h, i) => (Name: h.Trim().TrimStart('\uFEFF').ToLowerInvariant(), Index: i))
            .ToList();
        var seenColumns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, index) in header)
        {
            if (name.Length == 0) problems.Add(new(1, $"#{index + 1}", SheetMessages.UnknownColumn, $"#{index + 1}"));
            else if (!Known.Contains(name)) problems.Add(new(1, name, SheetMessages.UnknownColumn, name));
            else if (!seenColumns.Add(name)) problems.Add(new(1, name, SheetMessages.DuplicateColumn, name));
        }
        if (!seenColumns.Contains(IdentifierColumn) && !seenColumns.Contains(ExternalIdColumn))
            problems.Add(new(1, IdentifierColumn, SheetMessages.KeyColumn));
        if (problems.Count > 0) return ([], problems);

        var rows = new List<SheetRow>();
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in table.Lines)
        {
            var cells = line.Cells.Select(c => Unneutralise(c).Trim()).ToList();
            if (cells.All(c => c.Length == 0)) continue;
            if (cells.Count > header.Count && cells.Skip(header.Count).Any(c => c.Length > 0)
                || cells.Count < header.Count)
            {
                problems.Add(
                    new(line.Row, "row", SheetMessages.Columns, header.Count.ToString(CultureInfo.InvariantCulture)));
                continue;
            }
            var values = header.Where(h => !ReadOnly.Contains(h.Name))
                .ToDictionary(h => h.Name, h => cells[h.Index], StringComparer.Ordinal);
            var row = ParseRow(line.Row, values, prefix, problems);
            if (row is null) continue;
            if (keys.TryGetValue(row.Identifier, out var first))
            {
                problems.Add(
                    new(line.Row, IdentifierColumn, SheetMessages.Duplicate,
                        $"{row.Identifier} ({first.ToString(CultureInfo.InvariantCulture)})"));
                continue;
            }
            keys[row.Identifier] = line.Row;
            rows.Add(row);
        }
        return (problems.Count > 0 ? [] : rows, problems);
    }

    private static SheetRow? ParseRow(int number, Dictionary<string, string> values, string prefix,
        List<SheetProblem> problems)
    {
        var before = problems.Count;
        void Problem(string column, MessageCode code, params MessageArg[] args)
            => problems.Add(new(number, column, code, args));
        string? Cell(string column) => values.TryGetValue(column, out var v) ? v : null;

        var identifier = Cell(IdentifierColumn) ?? "";
        var external = Cell(ExternalIdColumn) ?? "";
        string? key = null;
        if (external.Length > 0 && !ExternalId().IsMatch(external))
            Problem(ExternalIdColumn, SheetMessages.ExternalId, external);
        else if (identifier.Length > 0)
        {
            if (identifier.Length > 200) Problem(IdentifierColumn, SheetMessages.Identifier, identifier);
            else if (external.Length > 0
                && identifier != $"{prefix}-{external}") Problem(ExternalIdColumn, SheetMessages.ExternalIdMismatch,
                $"{prefix}-{external}");
            else key = identifier;
        }
        else if (external.Length > 0) key = $"{prefix}-{external}";
        else Problem(IdentifierColumn, SheetMessages.KeyMissing);

        var row = new SheetRow { Row = number, Identifier = key ?? "", FromExternalId = external.Length > 0 };
        if (Cell(VersionColumn) is { Length: > 0 } version)
        {
            if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) row.Version = v;
            else Problem(VersionColumn, SheetMessages.Version, version);
        }
        foreach (var language in Languages)
        {
            if (Cell("title_" + language) is { } title) row.Titles[language] = Blank(title);
            if (Cell("description_" + language) is { } description) row.Descriptions[language] = Blank(description);
        }
        if (Cell(StatusColumn) is { } status)
        {
            if (status.Length == 0) Problem(StatusColumn, SheetMessages.StatusRequired);
            else row.Status = new(status);
        }
        if (Cell(StageColumn) is { } stage)
        {
            if (stage.Length == 0) row.Stage = new(null);
            else if (SeedEnums.TryParse<ProjectStage>(stage.ToLowerInvariant(), out var s)) row.Stage = new(s);
            else Problem(StageColumn, SheetMessages.Stage, stage);
        }
        foreach (var (column, _) in DateColumns)
        {
            if (Cell(column) is not { } date) continue;
            if (date.Length == 0) row.Dates[column] = null;
            else if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None,
                out var on)) row.Dates[column] = on;
            else Problem(column, SheetMessages.Date, date);
        }
        row.DatesEstimated = Flag(DatesEstimatedColumn);
        row.AmountsEstimated = Flag(AmountsEstimatedColumn);
        row.Published = Flag(PublishedColumn);
        if (Cell(DirectionColumn) is { } direction) row.Direction = new(Blank(direction));
        if (Cell(RecipientCountries) is { } countries
            && ParseCountries(countries, number, problems) is { } shares) row.Countries = new(shares);
        if (Cell(CommitmentsColumn) is { } commitments)
            row.Commitments = new(
                [.. commitments.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        return problems.Count > before ? null : row;

        Given<bool>? Flag(string column)
        {
            if (Cell(column) is not { } text) return null;
            switch (text.ToLowerInvariant())
            {
                case "" or "false" or "0": return new(false);
                case "true" or "1": return new(true);
                default: Problem(column, SheetMessages.Boolean, text); return null;
            }
        }
    }

    /// <summary>
    /// <c>KZ:60;UZ:40</c>, or one country alone (<c>KG</c>, all of it): two-letter codes, percentages with a point.
    /// Whether IATI knows the codes and the shares sum to 100 is checked where the countries change
    /// (<see cref="Plan"/>).
    /// </summary>
    private static List<CountryShare>? ParseCountries(string text, int row, List<SheetProblem> problems)
    {
        var shares = new List<CountryShare>();
        var ok = true;
        foreach (var item in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split(':', 2, StringSplitOptions.TrimEntries);
            var code = parts[0].ToUpperInvariant();
            decimal? percentage = null;
            if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper))
            {
                problems.Add(new(row, RecipientCountries, SheetMessages.Country, parts[0])); ok = false; continue;
            }
            if (parts.Length == 2)
            {
                if (decimal.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p)
                    && p > 0 && p <= 100) percentage = p;
                else
                {
                    problems.Add(new(row, RecipientCountries, SheetMessages.Percentage, item)); ok = false; continue;
                }
            }
            if (shares.Any(s => s.Code == code))
            {
                problems.Add(new(row, RecipientCountries, SheetMessages.CountryDuplicate, code)); ok = false; continue;
            }
            shares.Add(new CountryShare(code, percentage));
        }
        return ok ? shares : null;
    }

    private static string? Blank(string text) => text.Length == 0 ? null : text;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,150}$")] private static partial Regex ExternalId();

    // ---- Plan -------------------------------------------------------------------------------------

    /// <summary>
    /// Applies each row to its stored project (or makes a new one) and checks the result as a whole: the
    /// record stays valid IATI (a title, a description, a status, a date), dates in order, recipient shares
    /// summing to 100, and directions and commitments that exist. A row that changes nothing is unchanged.
    /// </summary>
    public static (List<PlannedProject> Projects, List<SheetProblem> Problems) Plan(
        IReadOnlyList<SheetRow> rows, IReadOnlyDictionary<string, StoredProject> stored, SheetContext context)
    {
        var problems = new List<SheetProblem>();
        var planned = new List<PlannedProject>();
        foreach (var row in rows)
            if (PlanRow(row, stored.GetValueOrDefault(row.Identifier), context, problems) is { } p) planned.Add(p);
        return (problems.Count > 0 ? [] : planned, problems);
    }

    private static PlannedProject? PlanRow(SheetRow row, StoredProject? stored, SheetContext context,
        List<SheetProblem> problems)
    {
        var before = problems.Count;
        void Problem(string column, MessageCode code, params MessageArg[] args)
            => problems.Add(new(row.Row, column, code, args));

        IatiActivity activity;
        if (stored is null)
        {
            // A new project is reported by the secretariat, so its identifier is the secretariat's prefix and an
            // external id.
            if (!row.FromExternalId
                && !(row.Identifier.StartsWith(context.Prefix + "-", StringComparison.Ordinal)
                    && ExternalId().IsMatch(row.Identifier[(context.Prefix.Length + 1)..])))
            {
                Problem(IdentifierColumn, SheetMessages.UnknownIdentifier, row.Identifier);
                return null;
            }
            var missing = new List<string>();
            if (!row.Titles.Values.Any(t => t is not null)) missing.Add("title_*");
            if (!row.Descriptions.Values.Any(t => t is not null)) missing.Add("description_*");
            if (row.Status is null) missing.Add(StatusColumn);
            if (!row.Dates.Values.Any(d => d is not null)) missing.Add(
                string.Join("|", DateColumns.Select(d => d.Column)));
            if (missing.Count > 0)
            {
                Problem(IdentifierColumn, SheetMessages.CreateMissing,
                    $"{row.Identifier}: {string.Join(", ", missing)}");
                return null;
            }
            activity = NewActivity(row.Identifier, context);
        }
        else activity = IatiActivity.FromJson(stored.Activity);

        var changed = new List<string>();
        foreach (var (language, text) in row.Titles)
            if (SetNarrative(activity.Titles, language, text)) changed.Add("title_" + language);
        foreach (var (language, text) in row.Descriptions)
            if (SetDescription(activity.Descriptions, language, text)) changed.Add("description_" + language);
        // Codes are checked where they change: a record imported with the Standard's warnings accepted still
        // round-trips.
        if (row.Status is { } status && activity.Status != status.Value)
        {
            if (!IatiCodelists.ActivityStatus.Contains(status.Value))
                Problem(StatusColumn, SheetMessages.Status, status.Value);
            activity.Status = status.Value;
            changed.Add(StatusColumn);
        }
        foreach (var (column, type) in DateColumns)
            if (row.Dates.TryGetValue(column, out var on)
                && SetDate(activity.ActivityDates, type, on)) changed.Add(column);
        if (row.Countries is { } countries && SetCountries(activity.RecipientCountries, countries.Value))
        {
            foreach (var unknown in countries.Value.Where(c => !IatiCodelists.Country.Contains(c.Code))) Problem(
                RecipientCountries, SheetMessages.Country, unknown.Code);
            CheckShares(countries.Value, activity.RecipientRegions, (column, code, arg) => Problem(column, code, arg));
            changed.Add(RecipientCountries);
        }

        var direction = stored?.DirectionId;
        if (row.Direction is { } d && d.Value != direction)
        {
            if (d.Value is not null && !context.Directions.Contains(d.Value))
                Problem(DirectionColumn, SheetMessages.UnknownDirection, d.Value);
            direction = d.Value;
            changed.Add(DirectionColumn);
        }
        var stage = stored?.StageOverride;
        if (row.Stage is { } s && s.Value != stage) { stage = s.Value; changed.Add(StageColumn); }
        var datesEstimated = Take(row.DatesEstimated, stored?.DatesEstimated ?? false, DatesEstimatedColumn);
        var amountsEstimated = Take(row.AmountsEstimated, stored?.AmountsEstimated ?? false, AmountsEstimatedColumn);
        var published = Take(row.Published, stored?.Published ?? false, PublishedColumn);
        var commitments = stored?.Commitments.Order(StringComparer.Ordinal).ToList() ?? [];
        if (row.Commitments is { } c && !c.Value.SequenceEqual(commitments, StringComparer.Ordinal))
        {
            foreach (var unknown in c.Value.Where(id => !context.Commitments.Contains(id))) Problem(CommitmentsColumn,
                SheetMessages.UnknownCommitment, unknown);
            commitments = c.Value;
            changed.Add(CommitmentsColumn);
        }

        // The record as a whole: what IATI requires, and dates in order where this row touched them.
        if (activity.Titles.Count == 0) Problem("title_" + Languages[0], SheetMessages.TitleRequired);
        if (!activity.Descriptions.Any(x => x.Narratives.Count > 0))
            Problem("description_" + Languages[0], SheetMessages.DescriptionRequired);
        if (activity.ActivityDates.Count == 0) Problem(DateColumns[0].Column, SheetMessages.DateRequired);
        CheckOrder("planned_start", "planned_end", "1", "3");
        CheckOrder("actual_start", "actual_end", "2", "4");
        if (problems.Count == before)
            foreach (var p in IatiRules.Check(activity)
                .Where(p => p.IsError)) problems.Add(new(row.Row, p.Path, p.Message));
        // A row made from an older export must not undo someone's later change.
        if (stored is not null && changed.Count > 0 && row.Version is { } version && version != stored.Version)
            Problem(VersionColumn, SheetMessages.Stale, stored.Version.ToString(CultureInfo.InvariantCulture));
        if (problems.Count > before) return null;

        if (stored is null || changed.Any(IsActivityColumn)) activity.LastUpdated = context.Now;
        return new PlannedProject
        {
            Row = row.Row, Identifier = row.Identifier, Stored = stored, Activity = activity, DirectionId = direction,
            StageOverride = stage,
            DatesEstimated = datesEstimated, AmountsEstimated = amountsEstimated, Published = published,
            Commitments = commitments, Changed = changed,
        };

        bool Take(Given<bool>? given, bool current, string column)
        {
            if (given is not { } g || g.Value == current) return current;
            changed.Add(column);
            return g.Value;
        }

        void CheckOrder(string startColumn, string endColumn, string startType, string endType)
        {
            if (!changed.Contains(startColumn) && !changed.Contains(endColumn)) return;
            var dates = activity.Dates;
            if (dates.TryGetValue(startType, out var start) && dates.TryGetValue(endType, out var end) && end < start)
                Problem(changed.Contains(endColumn) ? endColumn : startColumn, SheetMessages.EndBeforeStart,
                    $"{start:yyyy-MM-dd} > {end:yyyy-MM-dd}");
        }
    }

    /// <summary>
    /// More than one recipient (countries and the record's regions together): each needs a share, and they sum to 100.
    /// </summary>
    private static void CheckShares(List<CountryShare> countries, List<IatiShare> regions,
        Action<string, MessageCode, MessageArg> problem)
    {
        var count = countries.Count + regions.Count;
        if (count == 0) return;
        if (count == 1)
        {
            if (countries is [{ Percentage: { } p }] && p != 100)
                problem(RecipientCountries, SheetMessages.CountrySum, Format(p));
            return;
        }
        if (countries.FirstOrDefault(c => c.Percentage is null) is { } without)
        {
            problem(RecipientCountries, SheetMessages.CountryPercentage, without.Code);
            return;
        }
        var sum = countries.Sum(c => c.Percentage ?? 0) + regions.Sum(r => r.Percentage ?? 0);
        if (sum != 100) problem(RecipientCountries, SheetMessages.CountrySum, Format(sum));
    }

    /// <summary>
    /// A project created from a sheet: reported by the secretariat, which is also its funding and accountable
    /// organisation.
    /// </summary>
    private static IatiActivity NewActivity(string identifier, SheetContext context) => new()
    {
        Identifier = identifier,
        ReportingOrg = context.Secretariat with { Role = null },
        DefaultLanguage = Languages[0],
        ParticipatingOrgs = [context.Secretariat with { Role = "1" }, context.Secretariat with { Role = "2" }],
        LastUpdated = context.Now,
    };

    /// <summary>
    /// Sets (or, with null, removes) the narrative in one language; other languages stay. True when something changed.
    /// </summary>
    internal static bool SetNarrative(List<IatiNarrative> narratives, string language, string? text)
    {
        var i = narratives.FindIndex(n => n.Language == language);
        if (text is null) return narratives.RemoveAll(n => n.Language == language) > 0;
        if (i >= 0)
        {
            if (narratives[i].Text.Trim() == text) return false;
            narratives[i] = narratives[i] with { Text = text };
            return true;
        }
        narratives.Add(new IatiNarrative(language, text));
        return true;
    }

    /// <summary>
    /// The sheet's description is the general one (type 1, or untyped); other descriptions (objectives…) stay.
    /// </summary>
    private static int GeneralDescription(List<IatiDescription> descriptions)
        => descriptions.FindIndex(d => d.Type is null or "1");

    private static bool SetDescription(List<IatiDescription> descriptions, string language, string? text)
    {
        var i = GeneralDescription(descriptions);
        if (i < 0)
        {
            if (text is null) return false;
            descriptions.Add(new IatiDescription("1", [new IatiNarrative(language, text)]));
            return true;
        }
        var narratives = new List<IatiNarrative>(descriptions[i].Narratives);
        if (!SetNarrative(narratives, language, text)) return false;
        if (narratives.Count == 0) descriptions.RemoveAt(i);
        else descriptions[i] = descriptions[i] with { Narratives = narratives };
        return true;
    }

    /// <summary>
    /// The date of a type is the last one the record gives (as <see cref="IatiActivity.Dates"/> reads it); its
    /// narratives stay.
    /// </summary>
    private static bool SetDate(List<IatiActivityDate> dates, string type, DateOnly? on)
    {
        var last = dates.FindLastIndex(d => d.Type == type);
        if (on is not { } date) return dates.RemoveAll(d => d.Type == type) > 0;
        if (last >= 0 && dates[last].On == date) return false;
        if (last >= 0) dates[last] = dates[last] with { On = date };
        else dates.Add(new IatiActivityDate(type, date));
        return true;
    }

    /// <summary>Replaces the recipient countries, keeping the names and vocabulary of those that stay.</summary>
    private static bool SetCountries(List<IatiShare> countries, List<CountryShare> given)
    {
        if (countries.Select(c => (c.Code, c.Percentage))
            .SequenceEqual(given.Select(g => (g.Code, g.Percentage)))) return false;
        var old = countries.GroupBy(c => c.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var next = given.Select(
            g => old.TryGetValue(g.Code, out var o)
                ? o with { Percentage = g.Percentage }
                : new IatiShare(g.Code, null, g.Percentage)).ToList();
        countries.Clear();
        countries.AddRange(next);
        return true;
    }

    // ---- Export -----------------------------------------------------------------------------------

    /// <summary>A stored project with what its row shows.</summary>
    public sealed record Exported(
        string Identifier, int Version, IatiActivity Activity, string? DirectionId, ProjectStage? StageOverride,
        bool DatesEstimated, bool AmountsEstimated, bool Published, DateTimeOffset UpdatedAt,
        IReadOnlyList<string> Commitments);

    /// <summary>
    /// The project's row, in the order of <see cref="Columns"/>, as plain values (the file writers neutralise them).
    /// </summary>
    public static string[] ToCells(Exported p, string prefix)
    {
        var a = p.Activity;
        var general = GeneralDescription(a.Descriptions) is var i and >= 0 ? a.Descriptions[i].Narratives : [];
        var dates = a.Dates;
        var cells = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [IdentifierColumn] = p.Identifier,
            [ExternalIdColumn] = p.Identifier.StartsWith(prefix + "-", StringComparison.Ordinal)
                ? p.Identifier[(prefix.Length + 1)..]
                : "",
            [VersionColumn] = p.Version.ToString(CultureInfo.InvariantCulture),
            [StatusColumn] = a.Status ?? "",
            [StageColumn] = p.StageOverride is { } stage ? SeedEnums.ToKebab(stage) : "",
            [DatesEstimatedColumn] = Bool(p.DatesEstimated),
            [AmountsEstimatedColumn] = Bool(p.AmountsEstimated),
            [DirectionColumn] = p.DirectionId ?? "",
            [RecipientCountries] = string.Join(";",
                a.RecipientCountries.Select(c => c.Percentage is { } pc ? $"{c.Code}:{Format(pc)}" : c.Code)),
            [CommitmentsColumn] = string.Join(";", p.Commitments.Order(StringComparer.Ordinal)),
            [PublishedColumn] = Bool(p.Published),
            ["reporting_org"] = a.ReportingOrg is { } r ? r.Ref ?? r.Names.FirstOrDefault()?.Text ?? "" : "",
            ["participating_orgs"] = string.Join(";",
                a.ParticipatingOrgs.Select(o => $"{o.Role}:{o.Ref ?? o.Names.FirstOrDefault()?.Text}")),
            ["transactions"] = a.Transactions.Count.ToString(CultureInfo.InvariantCulture),
            ["committed"] = Totals(a, "2"),
            ["disbursed"] = Totals(a, "3"),
            ["updated_at"] = p.UpdatedAt.ToUniversalTime()
                .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        foreach (var language in Languages)
        {
            cells["title_" + language] = a.Titles.FirstOrDefault(n => n.Language == language)?.Text ?? "";
            cells["description_" + language] = general.FirstOrDefault(n => n.Language == language)?.Text ?? "";
        }
        foreach (var (column, type) in DateColumns) cells[column] = dates.TryGetValue(type, out var on)
            ? on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : "";
        return [.. Columns.Select(c => cells[c])];
    }

    /// <summary>
    /// Sums of one transaction type per original currency (<c>CNY 12500000.5;USD 10</c>): never converted here.
    /// </summary>
    private static string Totals(IatiActivity a, string type) => string.Join(";", a.Transactions
        .Where(t => t.Type == type && t.Value is not null)
        .GroupBy(t => t.Value!.Currency ?? a.DefaultCurrency ?? "")
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Key} {Format(g.Sum(t => t.Value!.Amount))}".Trim()));

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>
    /// Invariant, with a point and no trailing zeros: what <see cref="Parse"/> reads back as the same number.
    /// </summary>
    public static string Format(decimal value)
        => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
