using Caravan.Features.Commitments;
using Caravan.Features.Programmes;
using Caravan.Features.Reports;
using Caravan.Features.Treaties;
using Caravan.Shared;
using Caravan.Web.Features.Reports;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Caravan.Tests.Unit;

/// <summary>
/// The report's content from facts alone (no database): the parts in order, each figure under the sources that give
/// it and no other, an unknown figure left empty; and the XLSX writer read back with the OpenXml SDK.
/// </summary>
public sealed class ReportBuilderTests
{
    private static LocalizedText T(string en, string? zh = null, string? ru = null) => new() { En = en, Zh = zh, Ru = ru };

    /// <summary>
    /// Two commitments: "a" complied (its assessment cites s-a), "b" not complied and late (cites s-b); a treaty in
    /// force (s-t); no reported sister-city total; projects in USD only.
    /// </summary>
    internal static ReportFacts Facts(bool withPrevious = true) => new()
    {
        SnapshotId = "p1", PeriodName = T("Period one", "第一期", "Первый период"),
        Meeting = new FactMeeting("summit", T("The summit", "峰会", "Саммит"), "2025-06-17"),
        SnapshotOn = new DateOnly(2025, 6, 20), FactsOn = new DateOnly(2025, 7, 1),
        Previous = withPrevious ? new FactPeriod("p0", T("Period zero")) : null,
        States = [new("CN", T("People's Republic of China", "中华人民共和国", "Китайская Народная Республика")),
            new("KZ", T("Republic of Kazakhstan", "哈萨克斯坦共和国", "Республика Казахстан"))],
        Directions = [new("trade", T("Trade", "贸易", "Торговля"))],
        Commitments =
        [
            new("a", T("Open a centre"), false, "trade", ["CN", "KZ"], "2030", true, CommitmentStatus.Complied, 1,
                [new("CN", 1, T("Opened"), null, "2025-05", ["s-a"]), new("KZ", 1, T("Opened too"), null, null, ["s-a"])],
                ["s-doc"]),
            new("b", T("Build a road"), false, "trade", ["KZ"], "2024-12", true, CommitmentStatus.NotComplied, -1,
                [new("KZ", -1, T("Not built"), "https://example.org/b", null, ["s-b"])], ["s-doc"]),
            new("c", T("Study a thing"), true, null, ["CN"], null, true, CommitmentStatus.NotAssessed, null, [], []),
        ],
        Milestones = [new("a:all:opened", "a", null, T("Centre opened"), "2025-06", "2025-05-30", MilestoneStatus.Achieved, [])],
        Changes = withPrevious ? [new("a", SnapshotChange.Improved, CommitmentStatus.Partly, CommitmentStatus.Complied)] : [],
        Treaties = [new("treaty", T("A treaty"), "2023-05-19", TreatyStatus.InForce, "2024-01-01",
            [new("CN", "2023-05-19", RatificationStepKind.Instrument, "2023-10-01", "2023-10-01", "2024-01-01"),
                new("KZ", "2023-05-19", null, null, null, null)], ["s-t"])],
        Programmes = [new("grant", T("A grant"), "CNY", "CN", 1000m, 400m,
            [LedgerEntryKind.Committed, LedgerEntryKind.Disbursed], [300m, 100m],
            [new("KZ", 400m, [300m, 100m])], ["s-p"])],
        Partnerships = new FactPartnerships([new(2024, null, 3, 100m, [])], 3, 100m, "2022-01", [], ["s-target"]),
        Projects = [new("USD", 1234.5m, 2, [new("KZ", 1000m, 1), new(null, 234.5m, 1)], [new("trade", 1234.5m, 2)], [],
            [new("test-rates", "CNY", "USD", new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 1), 2)], 0)],
        Round = new FactRound("r1", T("The round"), "2025-06-01", [new("KZ", 1, 2, 3, 4)]),
        Sources = [new("s-a", "Source A", "https://a.example", "2025-06-18"), new("s-b", "Source B", null, null),
            new("s-doc", "The declaration", null, null), new("s-t", "Treaty text", null, null)],
    };

    private static ReportDocument Build(string language = "en", ReportFacts? facts = null) =>
        ReportBuilder.Build(facts ?? Facts(), language, "USD", ReportsFeature.Words(language));

    [Fact]
    public void The_parts_come_in_the_order_the_issue_lists_them_after_the_cover_and_contents()
    {
        var report = Build();
        Assert.Equal(ReportBuilder.Parts, report.Blocks.OfType<ReportHeading>().Where(h => h.Level == 1).Select(h => h.Anchor));
        Assert.IsType<ReportContents>(report.Blocks.TakeWhile(b => b is not ReportHeading).OfType<ReportContents>().Single());
        Assert.Equal("Status as at The summit", report.Title);
        // The live tables were read after the snapshot: the cover says when.
        Assert.Contains(report.Blocks.OfType<ReportParagraph>(), p => p.Text.Contains("1 July 2025", StringComparison.Ordinal));
        Assert.Equal(new DateOnly(2025, 6, 20), report.AsAt);
        Assert.Null(report.DraftMark);
    }

    [Fact]
    public void Each_key_figure_carries_only_the_sources_that_give_it_and_an_unknown_one_stays_empty()
    {
        var figures = Build().Blocks.OfType<ReportFigures>().Single().Items.ToDictionary(f => f.Label);
        Assert.Equal(3, figures["Commitments tracked"].Number);
        var complied = figures["Commitments complied with"];
        Assert.Equal(1, complied.Number);
        Assert.Equal(["[1] Source A, 18 June 2025 — https://a.example"], complied.Sources); // not B: b is not complied
        var late = figures["Commitments past their deadline"];
        Assert.Equal(1, late.Number); // b's deadline 2024-12 passed before 20 June 2025; a's 2030 did not
        Assert.Equal(["[3] The declaration"], late.Sources);
        Assert.Equal(["[4] Treaty text"], figures["Treaties in force"].Sources);
        // Mean collective of a (+1) and b (−1) is 0: 50 %. c, not assessed, is left out, not counted as 0.
        Assert.Equal(0.5m, figures["Average compliance"].Number);
        Assert.Equal("50%", figures["Average compliance"].Value);
        // No source reported a sister-city total: empty, not zero, and no source under it.
        var pairs = Assert.Single(figures, f => f.Key.StartsWith("Sister-city", StringComparison.Ordinal)).Value;
        Assert.Null(pairs.Number);
        Assert.Equal("", pairs.Value);
        Assert.Empty(pairs.Sources);
        Assert.Contains("test-rates", figures["Projects' outgoing commitments (USD)"].Sources);
    }

    [Fact]
    public void Unknown_cells_stay_empty_and_each_chart_has_its_numbers_in_a_table_of_the_report()
    {
        var report = Build();
        var tables = report.Blocks.OfType<ReportTable>().ToDictionary(t => t.Id);
        foreach (var chart in report.Blocks.OfType<ReportChart>())
        {
            var table = tables[chart.TableId];
            Assert.Equal(chart.Categories.Count, table.Rows.Count);
        }
        // The directions chart's bars are the table's status columns.
        var directions = tables["directions-status"];
        var complied = directions.Columns.Select((c, i) => (c, i)).Single(x => x.c.Key == "complied").i;
        Assert.Equal(1, directions.Rows[0][complied].Number);
        var partnerships = tables["partnerships"];
        Assert.Equal("", partnerships.Rows[0][1].Text); // no reported total for 2024
        Assert.Null(partnerships.Rows[0][1].Number);
        var annex = tables["annex-commitments"];
        Assert.True(annex.Annex);
        Assert.Equal(["a", "b", "c"], annex.Rows.Select(r => r[0].Text));
        Assert.Equal("", annex.Rows[2][6].Text); // c's collective score: not assessed, empty
        Assert.Contains("https://example.org/b", annex.Rows[1][7].Text);
        Assert.Equal("[2] Source B", annex.Rows[1][8].Text.Split('\n').Single(s => s.Contains("Source B", StringComparison.Ordinal)));
        // Each source's number is its row in the sources annex.
        Assert.Equal(["1", "2"], tables["annex-sources"].Rows.Select(r => r[0].Text).Take(2));
    }

    [Fact]
    public void A_figure_given_by_many_sources_cites_them_by_their_number_in_the_sources_annex()
    {
        var facts = Facts();
        var many = Enumerable.Range(1, 5).Select(i => new FactSource($"s-{i}", $"Document {i}", $"https://d{i}.example", null))
            .ToList();
        facts = facts with
        {
            Sources = [.. facts.Sources, .. many],
            Commitments = [.. facts.Commitments.Select(c => c.Id == "a" ? c with { Sources = [.. many.Select(m => m.Id)] } : c)],
        };
        var document = Build("en", facts);
        var figure = document.Blocks.OfType<ReportFigures>().Single().Items
            .Single(f => f.Label == ReportsFeature.Words("en")("report.figure.commitments"));
        var annex = document.Blocks.OfType<ReportTable>().Single(t => t.Id == "annex-sources");
        // Five sources: by number, each number the row that gives the source in full.
        Assert.All(figure.Sources, s => Assert.Matches(@"^\[\d+\]$", s));
        foreach (var source in many)
        {
            var row = annex.Rows.Single(r => r[1].Text == source.Id);
            Assert.Contains($"[{row[0].Text}]", figure.Sources);
            Assert.Equal(source.Title, row[2].Text);
        }
    }

    [Fact]
    public void The_words_numbers_and_dates_are_in_the_reports_language()
    {
        var zh = Build("zh");
        Assert.Equal("截至峰会的进展情况", zh.Title);
        Assert.Contains(zh.Blocks.OfType<ReportHeading>(), h => h.Text == "中华人民共和国");
        var ru = Build("ru");
        Assert.Contains(ru.Blocks.OfType<ReportHeading>(), h => h.Text == "Республика Казахстан");
        var money = ru.Blocks.OfType<ReportTable>().Single(t => t.Id == "projects-by-state").Rows[0][1];
        Assert.Equal("1\u00a0000 USD", money.Text);
        Assert.Equal(1000m, money.Number);
        var signed = ru.Blocks.OfType<ReportTable>().Single(t => t.Id == "treaties").Rows[0][1];
        Assert.Equal(new DateOnly(2023, 5, 19), signed.Date);
        Assert.Equal("19 мая 2023 г.", signed.Text);
        // No key of the UI strings is left in any language.
        foreach (var report in new[] { zh, ru, Build("en") })
            Assert.DoesNotContain("report.", System.Text.Encoding.UTF8.GetString(report.ToCanonicalJson()), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_state_has_its_scorecard_ratification_steps_and_tasks_of_the_round()
    {
        var report = Build();
        var blocks = report.Blocks.ToList();
        var kz = blocks.FindIndex(b => b is ReportHeading { Anchor: "state-KZ" });
        var next = blocks.FindIndex(kz + 1, b => b is ReportHeading);
        var own = blocks[kz..next];
        Assert.Contains(own, b => b is ReportParagraph p && p.Text == "Commitments binding the state: 2; scored in the period: 2; score: 50%.");
        var steps = Assert.Single(own.OfType<ReportTable>());
        Assert.Equal("A treaty", steps.Rows.Single()[0].Text);
        Assert.Contains(own, b => b is ReportParagraph p
            && p.Text == "Tasks of the round “The round”: 4 of 10 validated, 3 submitted, 2 overdue at the close.");
        var cn = blocks.FindIndex(b => b is ReportHeading { Anchor: "state-CN" });
        Assert.Contains(blocks[cn..kz], b => b is ReportParagraph p && p.Text == "The round “The round” asked nothing of this state.");
    }

    [Fact]
    public void Without_a_previous_snapshot_the_changes_part_says_so()
    {
        var report = Build(facts: Facts(withPrevious: false));
        Assert.DoesNotContain(report.Blocks.OfType<ReportTable>(), t => t.Id == "changes");
        Assert.Equal(Build().Blocks.OfType<ReportHeading>().Where(h => h.Level == 1).Select(h => h.Anchor),
            report.Blocks.OfType<ReportHeading>().Where(h => h.Level == 1).Select(h => h.Anchor));
    }

    [Fact]
    public void The_facts_survive_their_canonical_json_unchanged()
    {
        var facts = Facts();
        var again = ReportFacts.FromJson(facts.ToJson());
        Assert.Equal(facts.ToJson(), again.ToJson());
        Assert.Equal(Build(facts: facts).ContentHash(), Build(facts: again).ContentHash());
    }

    [Fact]
    public void The_xlsx_has_a_sheet_per_annex_table_with_real_numbers_frozen_headers_filters_and_the_same_bytes()
    {
        var report = Build("ru");
        var first = Xlsx(report);
        Assert.Equal(first, Xlsx(report));
        using var document = SpreadsheetDocument.Open(new MemoryStream(first), false);
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(["Основные показатели", "Обязательства", "Этапы", "Источники"], sheets.Select(s => s.Name!.Value));
        var rows = Rows(workbook, sheets[1]);
        Assert.Equal(report.Blocks.OfType<ReportTable>().Single(t => t.Id == "annex-commitments").Columns.Select(c => c.Title),
            rows[0].Select(c => c.Text));
        Assert.Equal(["a", "b", "c"], rows.Skip(1).Select(r => r[0].Text));
        // The collective score is a number, not text; c's is absent.
        Assert.Equal(CellValues.Number, rows[2][6].Cell!.DataType!.Value);
        Assert.Equal("-1", rows[2][6].Cell!.CellValue!.Text);
        Assert.Null(rows[3][6].Cell);
        var sheet = ((WorksheetPart)workbook.GetPartById(sheets[1].Id!)).Worksheet;
        Assert.Equal("A1:I4", sheet.Elements<AutoFilter>().Single().Reference!.Value);
        Assert.Equal(PaneStateValues.Frozen, sheet.Descendants<Pane>().Single().State!.Value);
        // The key figures: a count and a share as numbers with their formats.
        var figures = Rows(workbook, sheets[0]);
        Assert.Equal("3", figures[1][1].Cell!.CellValue!.Text);
        Assert.Equal("0.5", figures.Single(r => r[0].Text == "Средний уровень выполнения")[1].Cell!.CellValue!.Text);
        var hash = document.CustomFilePropertiesPart!.Properties.Elements<DocumentFormat.OpenXml.CustomProperties.CustomDocumentProperty>()
            .Single(p => p.Name == "ContentHash").InnerText;
        Assert.Equal(report.ContentHash(), hash);
        Assert.Equal(new DateTime(2025, 6, 20), document.PackageProperties.Modified);
    }

    internal static byte[] Xlsx(ReportDocument report)
    {
        using var stream = new MemoryStream();
        ReportXlsx.Write(report, stream);
        return stream.ToArray();
    }

    /// <summary>Each row's cells by column, with their text (inline or shared); a missing cell is (null, "").</summary>
    internal static List<List<(Cell? Cell, string Text)>> Rows(WorkbookPart workbook, Sheet sheet)
    {
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        var width = part.Worksheet.Descendants<Row>().First().Elements<Cell>().Count();
        return [.. part.Worksheet.Descendants<Row>().Select(row =>
        {
            var cells = row.Elements<Cell>().ToDictionary(c => ColumnOf(c.CellReference!.Value!));
            return Enumerable.Range(0, width).Select(i => cells.TryGetValue(i, out var c)
                ? (c, c.InlineString?.InnerText ?? c.CellValue?.Text ?? "") : ((Cell?)null, "")).ToList();
        })];
    }

    private static int ColumnOf(string reference)
    {
        var n = 0;
        foreach (var ch in reference.TakeWhile(char.IsAsciiLetter)) n = n * 26 + (ch - 'A' + 1);
        return n - 1;
    }
}
