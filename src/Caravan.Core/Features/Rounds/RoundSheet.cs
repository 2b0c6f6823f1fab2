using System.Globalization;
using System.Text.RegularExpressions;
using Caravan.Features.Programmes;
using Caravan.Features.Projects;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Features.Submissions;
using Caravan.Shared;

namespace Caravan.Features.Rounds;

/// <summary>
/// The columns of a round's spreadsheet, by key (a CSV may name them by key or by their label in any of the three
/// languages). The first six say what the task is and where it stands, locked in the XLSX template; the others are
/// what the state fills in.
/// </summary>
public static class SheetColumns
{
    public const string Task = "task";
    public const string Kind = "kind";
    public const string About = "about";
    public const string Status = "status";
    public const string Current = "current";
    public const string CurrentSources = "current-sources";
    public const string Value = "value";
    public const string Unit = "unit";
    public const string EntryKind = "entry-kind";
    public const string Date = "date";
    public const string Note = "note";
    public const string Source = "source";
    public const string SourceTitle = "source-title";
    public const string SourceDate = "source-date";
    public const string SourceLanguage = "source-language";
    public const string Confidence = "confidence";
    /// <summary>
    /// A ledger entry's allocation year: which year's allocation it draws on (an entry dated in February may use the
    /// year before's). Last, so that the columns before it keep their letters.
    /// </summary>
    public const string AllocationYear = "allocation-year";

    public static readonly IReadOnlyList<string> All =
    [
        Task, Kind, About, Status, Current, CurrentSources, Value, Unit, EntryKind, Date, Note, Source, SourceTitle,
        SourceDate, SourceLanguage, Confidence, AllocationYear,
    ];

    /// <summary>
    /// What the state fills in (the unit comes filled in, with the unit Caravan holds the figure in, and a ledger's
    /// allocation year with the latest one).
    /// </summary>
    public static readonly IReadOnlyList<string> Editable =
        [Value, Unit, EntryKind, Date, Note, Source, SourceTitle, SourceDate, SourceLanguage, Confidence, AllocationYear];

    /// <summary>The UI string that names a column in a sheet's header.</summary>
    public static string Label(string key) => "sheet.col." + key;

    /// <summary>A spreadsheet's column letters: A…Z, AA…</summary>
    public static string Letter(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26) name = (char)('A' + ((index - 1) % 26)) + name;
        return name;
    }
}

/// <summary>Why a round's spreadsheet, or one of its rows, is refused.</summary>
public static class RoundSheetMessages
{
    /// <summary>The round's tasks are the secretariat's or a coordinator's to answer by sheet.</summary>
    public static readonly MessageCode NotYours = new("sheet.not-yours");
    /// <summary>The secretariat names the state ({0}: the states with tasks).</summary>
    public static readonly MessageCode StateRequired = new("sheet.state-required");
    public static readonly MessageCode UnknownState = new("sheet.unknown-state");
    public static readonly MessageCode RoundClosed = new("sheet.round-closed");
    public static readonly MessageCode UnknownFormat = new("sheet.unknown-format");
    public static readonly MessageCode UnknownLanguage = new("sheet.unknown-language");
    public static readonly MessageCode UnknownMode = new("sheet.unknown-mode");
    public static readonly MessageCode NoFile = new("sheet.no-file");
    /// <summary>Above the size limit ({0}: the limit in MB).</summary>
    public static readonly MessageCode TooLarge = new("sheet.too-large");
    /// <summary>Neither an XLSX workbook nor a UTF-8 CSV file.</summary>
    public static readonly MessageCode NotASheet = new("sheet.not-a-sheet");
    /// <summary>The template of another round ({0}: that round's id).</summary>
    public static readonly MessageCode OtherRound = new("sheet.other-round");
    /// <summary>The template of another state ({0}: that state, {1}: the state the upload is for).</summary>
    public static readonly MessageCode OtherState = new("sheet.other-state");
    /// <summary>A header Caravan does not know ({0}: the header, {1}: its column letter).</summary>
    public static readonly MessageCode UnknownColumn = new("sheet.unknown-column");
    public static readonly MessageCode ColumnTwice = new("sheet.column-twice");
    /// <summary>A column the sheet cannot be read without ({0}: its name).</summary>
    public static readonly MessageCode MissingColumn = new("sheet.missing-column");
    /// <summary>
    /// A task id that is not one of the round's tasks for the state ({0}: row, {1}: the id): an edited id.
    /// </summary>
    public static readonly MessageCode UnknownTask = new("sheet.unknown-task");
    /// <summary>The same task on two rows ({0}: the second row, {1}: the first).</summary>
    public static readonly MessageCode TaskTwice = new("sheet.task-twice");
    /// <summary>Nothing to propose: no row has a new value.</summary>
    public static readonly MessageCode Nothing = new("sheet.nothing");
    /// <summary>All rows or none: the rows with problems stop the others ({0}: how many).</summary>
    public static readonly MessageCode RowsRefused = new("sheet.rows-refused");

    // One row's problems: each names its column.
    public static readonly MessageCode ValueRequired = new("sheet.value-required");
    public static readonly MessageCode Score = new("sheet.score");
    public static readonly MessageCode Number = new("sheet.number");
    public static readonly MessageCode Choice = new("sheet.choice");
    /// <summary>A unit other than the task's ({0}: the unit Caravan holds the figure in).</summary>
    public static readonly MessageCode Unit = new("sheet.unit");
    public static readonly MessageCode Date = new("sheet.date");
    public static readonly MessageCode DayRequired = new("sheet.day-required");
    public static readonly MessageCode DateRequired = new("sheet.date-required");
    /// <summary>An allocation year that is not a year the state was allocated ({0}: the years it was).</summary>
    public static readonly MessageCode AllocationYear = new("sheet.allocation-year");
    /// <summary>A column this kind of task does not use ({0}: the kind).</summary>
    public static readonly MessageCode NotUsed = new("sheet.not-used");
    public static readonly MessageCode SourceIncomplete = new("sheet.source-incomplete");
    /// <summary>An open submission already stands for the record ({0}: its status).</summary>
    public static readonly MessageCode OpenSubmission = new("sheet.open-submission");
    /// <summary>The record changed after the template was made: download a new one.</summary>
    public static readonly MessageCode ChangedSince = new("sheet.changed-since");
}

/// <summary>
/// The names a person may type or pick for a coded value (a score, a milestone's outcome, a ledger entry's kind, a
/// source's confidence and language, a unit), in any of the three languages, and the one the template offers in its
/// language. Built by the web layer from the UI strings; the rules only look words up.
/// </summary>
public sealed partial class SheetVocabulary
{
    public const string Scores = "score";
    public const string Outcomes = "milestone-outcome";
    public const string MoneyStages = "money-stage";
    public const string PlaceStages = "place-stage";
    public const string Confidences = "confidence";
    public const string Languages = "language";

    public const string Achieved = "achieved";
    public const string Cancelled = "cancelled";

    private readonly Dictionary<string, Dictionary<string, string>> codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Code, string Label)>> offered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> units = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> unitLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> columns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> columnLabels = new(StringComparer.Ordinal);

    /// <summary>The codes of each list, in the order the template offers them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Lists { get; } =
        new Dictionary<string, IReadOnlyList<string>>
        {
            [Scores] = ["1", "0", "-1"],
            [Outcomes] = [Achieved, Cancelled],
            [MoneyStages] = [.. Ledger.StagesOf(ProgrammeKind.Money).Select(k => SeedEnums.ToKebab(k))],
            [PlaceStages] = [.. Ledger.StagesOf(ProgrammeKind.Places).Select(k => SeedEnums.ToKebab(k))],
            [Confidences] = [.. Enum.GetValues<Confidence>().Select(c => SeedEnums.ToKebab(c))],
            [Languages] = ProposedSources.Languages,
        };

    /// <summary>The UI string that names a code of a list.</summary>
    public static string KeyOf(string list, string code) => list switch
    {
        Scores => $"score.{code}",
        Outcomes => $"sheet.outcome.{code}",
        MoneyStages or PlaceStages => $"LedgerEntryKind.{code}",
        Confidences => $"confidence.{code}",
        _ => $"language.{code}",
    };

    /// <summary>
    /// The vocabulary of <paramref name="language"/>'s template, reading every language's words:
    /// <paramref name="text"/> gives a UI string in a language (null when there is none).
    /// </summary>
    public static SheetVocabulary Build(string language, Func<string, string, string?> text,
        IEnumerable<string> unitCodes)
    {
        var v = new SheetVocabulary();
        foreach (var (list, listCodes) in Lists)
        {
            var byWord = v.codes[list] = new Dictionary<string, string>(StringComparer.Ordinal);
            var labels = v.offered[list] = [];
            foreach (var code in listCodes)
            {
                byWord[Normal(code)] = code;
                foreach (var l in LocalizedText.Languages)
                    if (text(l, KeyOf(list, code)) is { } word) byWord.TryAdd(Normal(word), code);
                // A score's name carries its number ("+1: fulfilled"), so either may be typed.
                labels.Add((code, text(language, KeyOf(list, code)) ?? code));
            }
        }
        foreach (var unit in unitCodes.Distinct(StringComparer.Ordinal))
        {
            v.units[Normal(unit)] = unit;
            foreach (var l in LocalizedText.Languages)
                if (UnitWord(text, l, unit) is { } word) v.units.TryAdd(Normal(word), unit);
            v.unitLabels[unit] = UnitWord(text, language, unit) ?? unit;
        }
        foreach (var key in SheetColumns.All)
        {
            v.columns[Normal(key)] = key;
            foreach (var l in LocalizedText.Languages)
                if (text(l, SheetColumns.Label(key)) is { } word) v.columns.TryAdd(Normal(word), key);
            v.columnLabels[key] = text(language, SheetColumns.Label(key)) ?? key;
        }
        return v;
    }

    /// <summary>A unit's name: its own (unitname.X), else its amount pattern without the number ("{0} yuan (CNY)").</summary>
    private static string? UnitWord(Func<string, string, string?> text, string language, string unit) =>
        text(language, "unitname." + unit)
        ?? (text(language, "unit." + unit) is { } pattern && pattern.Contains("{0}", StringComparison.Ordinal)
            ? pattern.Replace("{0}", "", StringComparison.Ordinal).Trim() is { Length: > 0 } w ? w : null
            : null);

    public string? Code(string list, string typed) =>
        codes[list].TryGetValue(Normal(typed), out var code) ? code
        // "+1 — fulfilled" typed differently: the number it starts with.
        : list == Scores && LeadingScore().Match(typed.Trim().Replace('\u2212', '-')) is { Success: true } m
            ? m.Groups[1].Value.TrimStart('+') : null;

    public IReadOnlyList<(string Code, string Label)> Offer(string list) => offered[list];
    public string Label(string list, string code) => offered[list].First(x => x.Code == code).Label;
    public string? Unit(string typed) => units.GetValueOrDefault(Normal(typed));
    public string UnitLabel(string unit) => unitLabels.GetValueOrDefault(unit) ?? unit;
    public string? Column(string header) => columns.GetValueOrDefault(Normal(header));
    public string ColumnLabel(string key) => columnLabels[key];

    /// <summary>Words compared as a person means them: case, spaces and dashes aside.</summary>
    public static string Normal(string word) =>
        Regex.Replace(word.Trim().ToLowerInvariant().Replace('—', '-').Replace('–', '-').Replace('\u2212', '-'),
            @"\s+", " ");

    [GeneratedRegex(@"^([+-]?[01])(?![0-9.,])")]
    private static partial Regex LeadingScore();
}

/// <summary>What Caravan knows about one task when it reads a row for it: plain data, loaded beforehand.</summary>
public sealed record SheetTaskFacts(
    RoundTask Task,
    bool RecordExists,
    int? Version,
    string? Unit,
    ProgrammeKind? Programme,
    string? OpenSubmissionStatus,
    IReadOnlyList<int>? AllocationYears = null);

/// <summary>One row as read: its number in the file and its cells by column key (absent columns are absent).</summary>
public sealed record SheetCells(int Row, IReadOnlyDictionary<string, string> Cells)
{
    public string? this[string key] => Cells.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)
        ? v.Trim() : null;
}

/// <summary>A row's proposal: the record it changes or creates and the field values and source it gives.</summary>
public sealed record SheetProposal(int Row, RoundTask Task, string RecordId, bool Create,
    IReadOnlyDictionary<string, string?> Input, IReadOnlyList<SourceInput> Sources);

/// <summary>How a person's words are read: the language the note is in, and the culture numbers and dates are in.</summary>
public sealed record SheetReading(string Language, CultureInfo Culture, string EntrySuffix);

/// <summary>
/// The rules that turn one row of a round's spreadsheet into a proposal for its task's record, column by column: plain
/// methods, no database (what they need is in <see cref="SheetTaskFacts"/>). A row with nothing new in it proposes
/// nothing. The record kind's own checks (evidence required, ledger balances…) run after, in the workflow.
/// </summary>
public static partial class RoundSheetRules
{
    /// <summary>
    /// The columns whose cells, when filled, make a row a proposal (the unit and the allocation year come filled in).
    /// </summary>
    private static readonly string[] Answer =
    [
        SheetColumns.Value, SheetColumns.EntryKind, SheetColumns.Date, SheetColumns.Note, SheetColumns.Source,
        SheetColumns.SourceTitle, SheetColumns.SourceDate, SheetColumns.SourceLanguage, SheetColumns.Confidence,
    ];

    public static bool IsBlank(SheetCells row) => Answer.All(c => row[c] is null);

    public static (SheetProposal? Proposal, List<SheetProblem> Problems) Read(SheetCells row, SheetTaskFacts facts,
        SheetVocabulary words, SheetReading reading)
    {
        var problems = new List<SheetProblem>();
        if (IsBlank(row)) return (null, problems);
        var task = facts.Task;
        var input = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Problem(string column, MessageCode code, params MessageArg[] args) =>
            problems.Add(new SheetProblem(row.Row, column, code, args));
        void NotUsed(params string[] columns)
        {
            foreach (var c in columns)
                if (row[c] is not null) Problem(c, RoundSheetMessages.NotUsed, new MessageArg.Term(RoundTaskSource.LabelKey(task.Kind)));
        }

        if (facts.OpenSubmissionStatus is { } open)
            Problem(SheetColumns.Task, RoundSheetMessages.OpenSubmission, new MessageArg.Term("SubmissionStatus." + open));
        var value = row[SheetColumns.Value];
        if (value is null) Problem(SheetColumns.Value, RoundSheetMessages.ValueRequired);
        if (facts.Unit is { } expected && row[SheetColumns.Unit] is { } unit && words.Unit(unit) != expected)
            Problem(SheetColumns.Unit, RoundSheetMessages.Unit, words.UnitLabel(expected));
        if (facts.Unit is null) NotUsed(SheetColumns.Unit);
        if (task.Kind != ProgrammeEntryTasks.Name) NotUsed(SheetColumns.AllocationYear);
        var note = row[SheetColumns.Note];
        var recordId = task.RecordId;
        var create = !facts.RecordExists;

        switch (task.Kind)
        {
            case AssessmentTasks.Name:
                NotUsed(SheetColumns.EntryKind);
                if (value is not null)
                {
                    if (words.Code(SheetVocabulary.Scores, value) is { } score) input["score"] = score;
                    else Problem(SheetColumns.Value, RoundSheetMessages.Score,
                        Choices(words, SheetVocabulary.Scores, reading));
                }
                if (note is not null) Localized(input, "evidence", note, reading.Language);
                if (ReadDate(row, SheetColumns.Date, reading, problems, dayRequired: false) is { } assessedOn)
                    input["assessed-on"] = assessedOn.ToIso();
                break;
            case IndicatorValueTasks.Name:
                NotUsed(SheetColumns.EntryKind, SheetColumns.Date);
                if (value is not null)
                {
                    if (ReadNumber(value, reading.Culture) is { } number)
                        input["value"] = number.ToString(CultureInfo.InvariantCulture);
                    else Problem(SheetColumns.Value, RoundSheetMessages.Number);
                }
                if (note is not null) Localized(input, "note", note, reading.Language);
                break;
            case ProgrammeEntryTasks.Name:
            {
                var list = facts.Programme == ProgrammeKind.Places
                    ? SheetVocabulary.PlaceStages
                    : SheetVocabulary.MoneyStages;
                if (row[SheetColumns.EntryKind] is not { } kind)
                    Problem(SheetColumns.EntryKind, RoundSheetMessages.ValueRequired);
                else if (words.Code(list, kind) is { } code) input["kind"] = code;
                else Problem(SheetColumns.EntryKind, RoundSheetMessages.Choice,
                    Choices(words, list, reading));
                if (value is not null)
                {
                    if (ReadNumber(value, reading.Culture) is { } number)
                        input["quantity"] = number.ToString(CultureInfo.InvariantCulture);
                    else Problem(SheetColumns.Value, RoundSheetMessages.Number);
                }
                if (row[SheetColumns.Date] is null) Problem(SheetColumns.Date, RoundSheetMessages.DateRequired);
                else if (ReadDate(row, SheetColumns.Date, reading, problems, dayRequired: true) is { } on)
                    input["on"] = on.ToIso();
                // The allocation an entry draws on is said, not guessed from its date: the template fills in the
                // latest year the state was allocated.
                var years = facts.AllocationYears ?? [];
                if (row[SheetColumns.AllocationYear] is not { } yearText)
                    Problem(SheetColumns.AllocationYear, RoundSheetMessages.ValueRequired);
                else if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                         || !years.Contains(year))
                    Problem(SheetColumns.AllocationYear, RoundSheetMessages.AllocationYear,
                        MessageArg.Join(years.Select(y => y.ToString(CultureInfo.InvariantCulture))));
                else input["year"] = yearText;
                if (note is not null) Localized(input, "note", note, reading.Language);
                recordId = task.RecordId + reading.EntrySuffix;
                create = true;
                break;
            }
            case MilestoneTasks.Name:
            {
                NotUsed(SheetColumns.EntryKind);
                var outcome = value is null ? null : words.Code(SheetVocabulary.Outcomes, value);
                if (value is not null && outcome is null)
                    Problem(SheetColumns.Value, RoundSheetMessages.Choice,
                        Choices(words, SheetVocabulary.Outcomes, reading));
                var date = ReadDate(row, SheetColumns.Date, reading, problems, dayRequired: false);
                if (outcome == SheetVocabulary.Achieved)
                {
                    if (row[SheetColumns.Date] is null) Problem(SheetColumns.Date, RoundSheetMessages.DateRequired);
                    else if (date is { } on) input["achieved-on"] = on.ToIso();
                    input["cancelled"] = "false";
                }
                else if (outcome == SheetVocabulary.Cancelled)
                {
                    input["cancelled"] = "true";
                    input["achieved-on"] = null;
                }
                if (note is not null) Localized(input, "evidence", note, reading.Language);
                break;
            }
        }

        var sources = ReadSource(row, words, reading, problems);
        if (problems.Count > 0) return (null, problems);
        return (new SheetProposal(row.Row, task, recordId, create, input, sources), problems);
    }

    /// <summary>
    /// A list's choices as one text, joined so that a choice's own commas ("0: partly, in progress") cannot be misread:
    /// with semicolons, full-width in Chinese.
    /// </summary>
    private static MessageArg Choices(SheetVocabulary words, string list, SheetReading reading) =>
        string.Join(reading.Language == "zh" ? "；" : "; ", words.Offer(list).Select(x => x.Label));

    /// <summary>
    /// A text written in one language replaces the whole text: the old wording in the other languages described the
    /// old value, so it is not kept beside the new one.
    /// </summary>
    private static void Localized(Dictionary<string, string?> input, string field, string text, string language)
    {
        foreach (var l in LocalizedText.Languages) input[$"{field}.{l}"] = l == language ? text : null;
    }

    /// <summary>
    /// The source the row gives, if any: a web address (with its title, date, language) or the id of a source
    /// Caravan already holds; its confidence either way. Checked in full by the workflow.
    /// </summary>
    private static List<SourceInput> ReadSource(SheetCells row, SheetVocabulary words, SheetReading reading,
        List<SheetProblem> problems)
    {
        var source = row[SheetColumns.Source];
        var title = row[SheetColumns.SourceTitle];
        var dateText = row[SheetColumns.SourceDate];
        // A drop-down's words (or a code) become the code; anything else is checked, and named, by the workflow.
        var language = row[SheetColumns.SourceLanguage] is { } l ? words.Code(SheetVocabulary.Languages, l) ?? l : null;
        var confidence = row[SheetColumns.Confidence] is { } c ? words.Code(SheetVocabulary.Confidences, c) ?? c : null;
        if (source is null && title is null && dateText is null && language is null && confidence is null) return [];
        if (source is null)
        {
            problems.Add(new SheetProblem(row.Row, SheetColumns.Source, RoundSheetMessages.SourceIncomplete));
            return [];
        }
        var date = ReadDate(row, SheetColumns.SourceDate, reading, problems, dayRequired: false);
        var isAddress = source.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        return [isAddress
            ? new SourceInput(Url: source, Title: title, Date: date?.ToIso() ?? dateText, Language: language,
                Confidence: confidence)
            : new SourceInput(Source: source, Confidence: confidence)];
    }

    /// <summary>
    /// A number as the person wrote it: digits with a decimal point, or as their own language writes numbers
    /// ("12 345,6" in Russian, "12,345.6" in English and Chinese). A spreadsheet's number cells are read as digits.
    /// </summary>
    public static decimal? ReadNumber(string text, CultureInfo culture)
    {
        var t = text.Trim().Replace('\u00A0', ' ').Replace('\u202F', ' ');
        if (PlainNumber().IsMatch(t))
            return decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var plain) && Math.Abs(plain) < 1e14m ? plain : null;
        // Groups of exactly three digits: "1,2,3" is a typing slip, not 123.
        var group = culture.NumberFormat.NumberGroupSeparator.Trim() is { Length: > 0 } g ? g : " ";
        var point = culture.NumberFormat.NumberDecimalSeparator;
        var pattern = $@"^-?[0-9]{{1,3}}({Regex.Escape(group)}[0-9]{{3}})*({Regex.Escape(point)}[0-9]+)?$";
        if (!Regex.IsMatch(t, pattern) && !Regex.IsMatch(t, $@"^-?[0-9]+({Regex.Escape(point)}[0-9]+)?$")) return null;
        var plainText = t.Replace(group, "", StringComparison.Ordinal).Replace(point, ".", StringComparison.Ordinal);
        return decimal.TryParse(plainText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out var number) && Math.Abs(number) < 1e14m ? number : null;
    }

    /// <summary>
    /// A date as a spreadsheet gives it or a person types it: ISO (<c>2026-03-15</c>, <c>2026-03</c>, <c>2026</c>),
    /// or day first with dots (<c>15.03.2026</c>), or year first with slashes or Chinese units (<c>2026/3/15</c>,
    /// <c>2026年3月15日</c>). A day and a month separated by slashes are refused: 03/04 is April to one reader and
    /// March to another.
    /// </summary>
    public static PartialDate? ReadDate(string text)
    {
        var t = text.Trim();
        if (PartialDate.TryParse(t, out var iso)) return iso;
        var m = DottedDate().Match(t);
        if (m.Success) return Day(m.Groups[3].Value, m.Groups[2].Value, m.Groups[1].Value);
        m = YearFirstDate().Match(t);
        if (m.Success) return Day(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
        // A date and time cell ("2026-03-15T00:00:00") as a spreadsheet writes it: the day.
        if (t.Length > 10 && t[10] == 'T' && PartialDate.TryParse(t[..10], out var stamped)) return stamped;
        return null;

        static PartialDate? Day(string y, string mo, string d)
        {
            var year = int.Parse(y, CultureInfo.InvariantCulture);
            var month = int.Parse(mo, CultureInfo.InvariantCulture);
            var day = int.Parse(d, CultureInfo.InvariantCulture);
            return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
                ? PartialDate.OfDay(year, month, day)
                : null;
        }
    }

    private static PartialDate? ReadDate(SheetCells row, string column, SheetReading reading,
        List<SheetProblem> problems, bool dayRequired)
    {
        if (row[column] is not { } text) return null;
        if (ReadDate(text) is not { } date)
        {
            problems.Add(new SheetProblem(row.Row, column, RoundSheetMessages.Date, text));
            return null;
        }
        if (dayRequired && date.Day is null)
        {
            problems.Add(new SheetProblem(row.Row, column, RoundSheetMessages.DayRequired, text));
            return null;
        }
        return date;
    }

    /// <summary>The column a record field's problem is shown in.</summary>
    public static string ColumnOf(string field)
    {
        if (field.StartsWith(ProposedSources.Field, StringComparison.Ordinal))
            return field.EndsWith(".title", StringComparison.Ordinal) ? SheetColumns.SourceTitle
                : field.EndsWith(".date", StringComparison.Ordinal) ? SheetColumns.SourceDate
                : field.EndsWith(".language", StringComparison.Ordinal) ? SheetColumns.SourceLanguage
                : field.EndsWith(".confidence", StringComparison.Ordinal) ? SheetColumns.Confidence
                : SheetColumns.Source;
        var group = field.Contains('.', StringComparison.Ordinal) ? field[..field.IndexOf('.')] : field;
        return group switch
        {
            "evidence" or "note" => SheetColumns.Note,
            "assessed-on" or "achieved-on" or "on" or "year" => SheetColumns.Date,
            "kind" => SheetColumns.EntryKind,
            "id" or "version" => SheetColumns.Task,
            _ => SheetColumns.Value,
        };
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$")]
    private static partial Regex PlainNumber();

    [GeneratedRegex(@"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")]
    private static partial Regex DottedDate();

    [GeneratedRegex(@"^([0-9]{4})\s*[/年.]\s*([0-9]{1,2})\s*[/月.]\s*([0-9]{1,2})\s*日?$")]
    private static partial Regex YearFirstDate();
}
