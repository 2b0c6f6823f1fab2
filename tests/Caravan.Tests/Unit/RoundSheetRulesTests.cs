using System.Globalization;
using Caravan.Features.Programmes;
using Caravan.Features.Projects;
using Caravan.Features.Rounds;
using Caravan.Shared;

namespace Caravan.Tests.Unit;

/// <summary>
/// The rules that read one row of a round's spreadsheet, without a database: each kind of task's columns, the words of
/// the three languages for codes, numbers and dates as people write them, and what a row may not say.
/// </summary>
public sealed class RoundSheetRulesTests
{
    // The words as the UI strings give them, in three languages (a few, enough for the rules).
    private static readonly Dictionary<(string, string), string> Words = new()
    {
        [("en", "score.1")] = "+1: fulfilled", [("ru", "score.1")] = "+1: выполнено", [("zh", "score.1")] = "+1：已履行",
        [("en", "score.0")] = "0: partly", [("ru", "score.0")] = "0: частично", [("zh", "score.0")] = "0：部分履行",
        [("en", "score.-1")] = "−1: not fulfilled", [("ru", "score.-1")] = "−1: не выполнено", [("zh", "score.-1")] = "−1：未履行",
        [("en", "sheet.outcome.achieved")] = "achieved", [("ru", "sheet.outcome.achieved")] = "достигнут", [("zh", "sheet.outcome.achieved")] = "已实现",
        [("en", "sheet.outcome.cancelled")] = "cancelled", [("ru", "sheet.outcome.cancelled")] = "отменён",
        [("en", "LedgerEntryKind.disbursed")] = "disbursed", [("ru", "LedgerEntryKind.disbursed")] = "выплачено",
        [("en", "LedgerEntryKind.filled")] = "filled", [("ru", "LedgerEntryKind.filled")] = "заполнено",
        [("en", "confidence.high")] = "high confidence", [("ru", "confidence.high")] = "высокая достоверность",
        [("en", "language.ru")] = "Russian", [("ru", "language.ru")] = "русский", [("zh", "language.ru")] = "俄语",
        [("en", "unitname.USD bn")] = "USD bn", [("ru", "unitname.USD bn")] = "млрд долл. США",
        [("en", "unit.CNY")] = "{0} yuan (CNY)", [("ru", "unit.CNY")] = "{0} юаней (CNY)",
        [("en", "sheet.col.value")] = "New value", [("ru", "sheet.col.value")] = "Новое значение",
    };

    private static SheetVocabulary Vocabulary(string language = "en") =>
        SheetVocabulary.Build(language, (l, k) => Words.GetValueOrDefault((l, k)), ["USD bn", "CNY", "training-places"]);

    private static SheetReading Reading(string language = "en") =>
        new(language, CultureInfo.GetCultureInfo(language), "r1-abc");

    private static RoundTask Task(string kind, string recordKind, string recordId, bool byPrefix = false) =>
        new(kind, $"{kind}:{recordId}", new LocalizedText { En = "A task" }, null, "KZ", [], recordKind, recordId, byPrefix,
            false, "/work");

    private static SheetTaskFacts Assessment(bool exists = false, string? open = null) =>
        new(Task(AssessmentTasks.Name, "assessments", "c1:KZ:p1"), exists, exists ? 3 : null, null, null, open);

    private static SheetCells Row(params (string Column, string Value)[] cells) =>
        new(5, cells.ToDictionary(c => c.Column, c => c.Value));

    private static readonly (string, string)[] Source =
    [
        (SheetColumns.Source, "https://mfa.example.kz/r"), (SheetColumns.SourceTitle, "Report"),
        (SheetColumns.SourceDate, "2026-03-01"), (SheetColumns.SourceLanguage, "русский"),
        (SheetColumns.Confidence, "high confidence"),
    ];

    [Fact]
    public void A_blank_row_proposes_nothing_and_a_prefilled_unit_alone_is_blank()
    {
        var (proposal, problems) = RoundSheetRules.Read(Row((SheetColumns.Unit, "USD bn")), Assessment(), Vocabulary(), Reading());
        Assert.Null(proposal);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("+1: fulfilled", "1")]
    [InlineData("+1：已履行", "1")]
    [InlineData("−1: не выполнено", "-1")]
    [InlineData("-1", "-1")]
    [InlineData("1", "1")]
    [InlineData("+1 — fulfilled", "1")]
    [InlineData("0", "0")]
    public void A_score_is_read_from_its_number_or_its_name_in_any_language(string typed, string score)
    {
        var (proposal, problems) = RoundSheetRules.Read(Row([(SheetColumns.Value, typed), (SheetColumns.Note, "Signed."), .. Source]),
            Assessment(), Vocabulary(), Reading("ru"));
        Assert.Empty(problems);
        Assert.Equal(score, proposal!.Input["score"]);
        // The note replaces the evidence in every language: the old wording described the old score.
        Assert.Equal("Signed.", proposal.Input["evidence.ru"]);
        Assert.Null(proposal.Input["evidence.en"]);
        Assert.True(proposal.Create);
        var source = Assert.Single(proposal.Sources);
        Assert.Equal(("ru", "high"), (source.Language, source.Confidence));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("10")]
    [InlineData("fulfilled-ish")]
    public void Another_score_is_a_problem_in_the_value_column(string typed)
    {
        var (proposal, problems) = RoundSheetRules.Read(Row((SheetColumns.Value, typed)), Assessment(), Vocabulary(), Reading());
        Assert.Null(proposal);
        var p = Assert.Single(problems);
        Assert.Equal((5, SheetColumns.Value, RoundSheetMessages.Score), (p.Row, p.Column, p.Code));
    }

    [Fact]
    public void A_row_without_a_value_a_column_its_kind_does_not_use_and_an_open_submission_are_each_named()
    {
        var (_, problems) = RoundSheetRules.Read(Row((SheetColumns.Note, "Done."), (SheetColumns.EntryKind, "disbursed")),
            Assessment(open: "submitted"), Vocabulary(), Reading());
        Assert.Contains(problems, p => p.Column == SheetColumns.Value && p.Code == RoundSheetMessages.ValueRequired);
        Assert.Contains(problems, p => p.Column == SheetColumns.EntryKind && p.Code == RoundSheetMessages.NotUsed);
        Assert.Contains(problems, p => p.Column == SheetColumns.Task && p.Code == RoundSheetMessages.OpenSubmission);
    }

    [Theory]
    [InlineData("ru", "12 345,6", "12345.6")]
    [InlineData("ru", "12\u00A0345,6", "12345.6")]
    [InlineData("ru", "1,5", "1.5")]
    [InlineData("en", "12,345.6", "12345.6")]
    [InlineData("zh", "12,345.6", "12345.6")]
    [InlineData("en", "1.5", "1.5")]
    [InlineData("ru", "1.5", "1.5")]
    [InlineData("en", "-3", "-3")]
    public void A_number_is_read_as_the_uploaders_language_writes_it(string language, string typed, string value)
    {
        var facts = new SheetTaskFacts(Task(IndicatorValueTasks.Name, "indicator-values", "trade:2025:KZ"), false, null, "USD bn",
            null, null);
        var (proposal, problems) = RoundSheetRules.Read(Row([(SheetColumns.Value, typed), (SheetColumns.Unit, "млрд долл. США"), .. Source]),
            facts, Vocabulary(language), Reading(language));
        Assert.Empty(problems);
        Assert.Equal(value, proposal!.Input["value"]);
    }

    [Theory]
    [InlineData("twelve")]
    [InlineData("1,2,3")]
    [InlineData("=A1")]
    public void What_is_not_a_number_is_a_problem(string typed)
    {
        var facts = new SheetTaskFacts(Task(IndicatorValueTasks.Name, "indicator-values", "trade:2025:KZ"), false, null, "USD bn",
            null, null);
        var (_, problems) = RoundSheetRules.Read(Row((SheetColumns.Value, typed)), facts, Vocabulary(), Reading());
        Assert.Contains(problems, p => p.Column == SheetColumns.Value && p.Code == RoundSheetMessages.Number);
    }

    [Fact]
    public void A_figure_in_another_unit_is_refused_not_converted_and_a_yearly_figure_takes_no_date()
    {
        var facts = new SheetTaskFacts(Task(IndicatorValueTasks.Name, "indicator-values", "trade:2025:KZ"), false, null, "USD bn",
            null, null);
        var (_, problems) = RoundSheetRules.Read(Row((SheetColumns.Value, "12"), (SheetColumns.Unit, "CNY"), (SheetColumns.Date, "2025-12-31")),
            facts, Vocabulary(), Reading());
        Assert.Contains(problems, p => p.Column == SheetColumns.Unit && p.Code == RoundSheetMessages.Unit
            && p.Message.Args[0].Invariant == "USD bn");
        Assert.Contains(problems, p => p.Column == SheetColumns.Date && p.Code == RoundSheetMessages.NotUsed);
    }

    [Theory]
    [InlineData("2026-03-15", "2026-03-15")]
    [InlineData("15.03.2026", "2026-03-15")]
    [InlineData("2026/3/15", "2026-03-15")]
    [InlineData("2026年3月15日", "2026-03-15")]
    [InlineData("2026-03-15T00:00:00", "2026-03-15")]
    [InlineData("2026-03", "2026-03")]
    [InlineData("2026", "2026")]
    public void Dates_are_read_in_the_forms_people_write_them(string typed, string iso) =>
        Assert.Equal(iso, RoundSheetRules.ReadDate(typed)!.Value.ToIso());

    [Theory]
    [InlineData("03/04/2026")] // April to one reader, March to another
    [InlineData("31.02.2026")]
    [InlineData("2026-13-01")]
    [InlineData("yesterday")]
    public void Ambiguous_or_impossible_dates_are_refused(string typed) => Assert.Null(RoundSheetRules.ReadDate(typed));

    [Fact]
    public void A_ledger_entry_needs_its_kind_among_its_programmes_stages_and_a_day()
    {
        var facts = new SheetTaskFacts(Task(ProgrammeEntryTasks.Name, ProgrammeEntry.RecordKind, "grants:KZ:", byPrefix: true), false, null,
            "training-places", ProgrammeKind.Places, null);
        var (proposal, problems) = RoundSheetRules.Read(Row([(SheetColumns.Value, "25"), (SheetColumns.EntryKind, "заполнено"),
            (SheetColumns.Date, "01.09.2026"), (SheetColumns.AllocationYear, "2026"), .. Source]), facts with { AllocationYears = [2025, 2026] }, Vocabulary("ru"), Reading("ru"));
        Assert.Empty(problems);
        Assert.Equal(("filled", "25", "2026-09-01", "2026"), (proposal!.Input["kind"], proposal.Input["quantity"], proposal.Input["on"], proposal.Input["year"]));
        Assert.Equal("grants:KZ:r1-abc", proposal.RecordId);
        Assert.True(proposal.Create);

        // Money's stages are not a training programme's; a month is not a day.
        (_, problems) = RoundSheetRules.Read(Row((SheetColumns.Value, "25"), (SheetColumns.EntryKind, "disbursed"),
            (SheetColumns.Date, "2026-09")), facts, Vocabulary(), Reading());
        Assert.Contains(problems, p => p.Column == SheetColumns.EntryKind && p.Code == RoundSheetMessages.Choice);
        Assert.Contains(problems, p => p.Column == SheetColumns.Date && p.Code == RoundSheetMessages.DayRequired);
    }

    [Fact]
    public void A_milestone_achieved_needs_the_day_it_was_and_a_cancelled_one_clears_it()
    {
        var facts = new SheetTaskFacts(Task(MilestoneTasks.Name, "milestones", "c1:KZ:signed"), true, 2, null, null, null);
        var (_, problems) = RoundSheetRules.Read(Row((SheetColumns.Value, "достигнут")), facts, Vocabulary("ru"), Reading("ru"));
        Assert.Contains(problems, p => p.Column == SheetColumns.Date && p.Code == RoundSheetMessages.DateRequired);
        var (proposal, none) = RoundSheetRules.Read(Row([(SheetColumns.Value, "cancelled"), (SheetColumns.Note, "Dropped by both sides."), .. Source]),
            facts, Vocabulary(), Reading());
        Assert.Empty(none);
        Assert.Equal("true", proposal!.Input["cancelled"]);
        Assert.Null(proposal.Input["achieved-on"]);
        Assert.False(proposal.Create);
    }

    [Fact]
    public void A_source_needs_its_address_or_id_and_a_registered_id_is_passed_as_one()
    {
        var (_, problems) = RoundSheetRules.Read(Row((SheetColumns.Value, "1"), (SheetColumns.SourceTitle, "Report")), Assessment(), Vocabulary(), Reading());
        Assert.Contains(problems, p => p.Column == SheetColumns.Source && p.Code == RoundSheetMessages.SourceIncomplete);
        var (proposal, none) = RoundSheetRules.Read(Row((SheetColumns.Value, "1"), (SheetColumns.Source, "mfa-kz-2026"), (SheetColumns.Confidence, "high")),
            Assessment(), Vocabulary(), Reading());
        Assert.Empty(none);
        Assert.Equal(("mfa-kz-2026", null, "high"), (proposal!.Sources[0].Source, proposal.Sources[0].Url, proposal.Sources[0].Confidence));
    }

    [Theory]
    [InlineData("sources[0].title", SheetColumns.SourceTitle)]
    [InlineData("sources[0].confidence", SheetColumns.Confidence)]
    [InlineData("sources", SheetColumns.Source)]
    [InlineData("evidence.en", SheetColumns.Note)]
    [InlineData("quantity", SheetColumns.Value)]
    [InlineData("on", SheetColumns.Date)]
    [InlineData("id", SheetColumns.Task)]
    public void A_record_fields_problem_is_shown_in_its_column(string field, string column) =>
        Assert.Equal(column, RoundSheetRules.ColumnOf(field));

    [Fact]
    public void Column_headers_are_known_by_key_and_by_their_label_in_any_language()
    {
        var words = Vocabulary("zh");
        Assert.Equal(SheetColumns.Value, words.Column("value"));
        Assert.Equal(SheetColumns.Value, words.Column("  новое   значение "));
        Assert.Equal(SheetColumns.Value, words.Column("New value"));
        Assert.Null(words.Column("My remarks"));
        Assert.Equal("AA", SheetColumns.Letter(26));
    }
}
