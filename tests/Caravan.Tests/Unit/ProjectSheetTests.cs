using System.Text;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using CsCheck;

namespace Caravan.Tests.Unit;

/// <summary>The project sheet's rules without a database: cells, neutralisation, parsing, applying rows to records, and the files.</summary>
public sealed class ProjectSheetTests
{
    private const string Prefix = "XM-CCA-SECRETARIAT";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IatiOrg Secretariat = new(Prefix, "40", null, [new("en", "Secretariat of the China–Central Asia Mechanism"), new("ru", "Секретариат"), new("zh", "秘书处")]);
    private static readonly SheetContext Context = new(Prefix, Secretariat, new HashSet<string> { "connectivity", "trade" }, new HashSet<string> { "grant-2025", "secretariat-2023" }, Now);

    private const string Luban = "CN-MOFCOM-2025-0001";

    /// <summary>An imported project: narratives in three languages and Kazakh, a general and an objectives description, regions none.</summary>
    private static StoredProject Stored(int version = 3, string? direction = "connectivity", IReadOnlyList<string>? commitments = null)
    {
        var activity = new IatiActivity
        {
            Identifier = Luban,
            ReportingOrg = new IatiOrg("CN-MOFCOM", "10", null, [new("en", "Ministry of Commerce")]),
            DefaultCurrency = "CNY",
            Titles = [new("en", "Luban Workshop, Bishkek"), new("ru", "Мастерская Лу Бань, Бишкек"), new("kk", "Лу Бань шеберханасы")],
            Descriptions = [new("1", [new("en", "Vocational training centre.")]), new("2", [new("en", "Train 500 technicians.")])],
            ParticipatingOrgs = [new IatiOrg("CN-MOFCOM", null, "1", [])],
            Status = "2",
            ActivityDates = [new("1", new DateOnly(2024, 1, 10)), new("2", new DateOnly(2024, 10, 26), [new("en", "Opened by the ministers")])],
            RecipientCountries = [new IatiShare("KG", null, 100, [new("en", "Kyrgyzstan")])],
            Transactions =
            [
                new IatiTransaction("2", new DateOnly(2024, 3, 1), new IatiValue(12500000.50m, "CNY", new DateOnly(2024, 3, 1)), [], null, null),
                new IatiTransaction("3", new DateOnly(2024, 6, 1), new IatiValue(1000m, "USD", new DateOnly(2024, 6, 1)), [], null, null),
            ],
        };
        return new StoredProject(7, version, activity.ToJson(), direction, null, false, false, true, commitments ?? ["grant-2025"]);
    }

    /// <summary>A sheet: the header's names separated by commas, each row's cells by "|" (so that a cell may hold a comma).</summary>
    private static SheetTable Table(string header, params string[] rows) =>
        new([.. header.Split(',')], [.. rows.Select((r, i) => new SheetLine(i + 2, r.Split('|')))]);

    private static (List<PlannedProject> Projects, List<SheetProblem> Problems) Apply(SheetTable table, params StoredProject[] stored)
    {
        var (rows, problems) = ProjectSheet.Parse(table, Prefix);
        Assert.Empty(problems);
        return ProjectSheet.Plan(rows, stored.ToDictionary(s => IatiActivity.FromJson(s.Activity).Identifier), Context);
    }

    // ---- Neutralisation ---------------------------------------------------------------------------

    [Theory]
    [InlineData("=SUM(A1:A9)", "'=SUM(A1:A9)")]
    [InlineData("+7 700 000", "'+7 700 000")]
    [InlineData("-1", "'-1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("'=x", "''=x")]
    [InlineData("'quoted", "'quoted")]
    [InlineData("KZ:60;UZ:40", "KZ:60;UZ:40")]
    [InlineData("", "")]
    public void Formula_cells_get_one_apostrophe_and_lose_exactly_that_one(string value, string exported)
    {
        Assert.Equal(exported, ProjectSheet.Neutralise(value));
        Assert.Equal(value, ProjectSheet.Unneutralise(exported));
    }

    private const string Alphabet = "=+-@'\t\r\n\",; aZ9中ж";
    private static readonly Gen<string> Text = Gen.Int[0, Alphabet.Length - 1].Array[0, 10].Select(ix => new string([.. ix.Select(i => Alphabet[i])]));

    [Fact]
    public void Neutralising_never_leaves_a_formula_and_always_comes_back_exactly() =>
        Text.Sample(value =>
        {
            var cell = ProjectSheet.Neutralise(value);
            Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', cell);
            Assert.Equal(value, ProjectSheet.Unneutralise(cell));
        });

    [Fact]
    public void Any_cells_written_as_csv_read_back_the_same() =>
        Text.Array[3, 3].Array[1, 5].Sample(rows =>
        {
            var csv = new StringBuilder(SheetFiles.CsvLine(["a", "b", "c"]));
            foreach (var row in rows) csv.Append(SheetFiles.CsvLine(row));
            var (table, problem) = SheetFiles.ReadCsv(Encoding.UTF8.GetBytes(csv.ToString()));
            Assert.Null(problem);
            Assert.Equal(rows.Select(r => string.Join("|", r)), table!.Lines.Select(l => string.Join("|", l.Cells.Select(ProjectSheet.Unneutralise))));
            Assert.Equal(Enumerable.Range(2, rows.Length), table.Lines.Select(l => l.Row));
        });

    [Fact]
    public void An_xlsx_file_reads_back_what_was_written_as_text()
    {
        string[][] rows = [["=HYPERLINK(\"x\")", "2", "2025-01-02"], ["中文 \"quoted\"", "", "00123"], ["@x", "KZ:60;UZ:40", "\ttab"]];
        using var file = new MemoryStream();
        SheetFiles.WriteXlsx(file, ["a", "b", "c"], rows);
        var (table, problem) = SheetFiles.ReadXlsx(file.ToArray());
        Assert.Null(problem);
        Assert.Equal(["a", "b", "c"], table!.Header);
        Assert.Equal(rows.Select(r => string.Join("|", r)), table.Lines.Select(l => string.Join("|", l.Cells.Select(ProjectSheet.Unneutralise))));
        Assert.Equal("'=HYPERLINK(\"x\")", table.Lines[0].Cells[0]); // as a spreadsheet shows it: text, not a formula
    }

    [Fact]
    public void Csv_accepts_a_byte_order_mark_and_a_semicolon_separator_and_refuses_other_encodings()
    {
        var (table, problem) = SheetFiles.ReadCsv([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("identifier;status\r\nX-1;2\r\n")]);
        Assert.Null(problem);
        Assert.Equal(["identifier", "status"], table!.Header);
        Assert.Equal(["X-1", "2"], table.Lines[0].Cells);
        var (_, latin1) = SheetFiles.ReadCsv(Encoding.Latin1.GetBytes("identifier,title_en\r\nX-1,Caf\u00e9\r\n"));
        Assert.Equal("projects.not-utf8", latin1!.Code.Key);
        var (_, broken) = SheetFiles.ReadCsv(Encoding.UTF8.GetBytes("identifier,title_en\r\nX-1,\"ab\"c\r\n"));
        Assert.Equal(("projects.csv-malformed", 2), (broken!.Code.Key, broken.Row));
        Assert.Equal("upload.not-zip", SheetFiles.ReadXlsx(Encoding.UTF8.GetBytes("identifier\r\n")).Problem!.Code.Key);
    }

    // ---- Parsing ----------------------------------------------------------------------------------

    [Fact]
    public void Every_bad_cell_is_named_by_row_column_and_reason()
    {
        var (rows, problems) = ProjectSheet.Parse(Table("identifier,status,planned_start,published,recipient_countries,stage",
            $"{Luban}|2|2024-01-10|true|KG|",
            $"{Luban}-2|9|2024-13-01|yes|KZ:60;UZ:sixty;KZ;Kazakhstan|later",
            "|2||||",
            $"{Luban}|2||||"), Prefix);
        Assert.Empty(rows); // all or nothing
        Assert.Equal(
        [
            (3, "stage", "projects.stage", "later"), (3, "planned_start", "projects.date", "2024-13-01"), (3, "published", "projects.boolean", "yes"),
            (3, "recipient_countries", "projects.percentage", "UZ:sixty"), (3, "recipient_countries", "projects.country-duplicate", "KZ"),
            (3, "recipient_countries", "projects.country", "Kazakhstan"),
            (4, "identifier", "projects.key-missing", null), (5, "identifier", "projects.duplicate", $"{Luban} (2)"),
        ], problems.Select(p => (p.Row, p.Column, p.Code.Key, p.Message.Detail())));
    }

    [Fact]
    public void A_bad_header_stops_before_the_rows()
    {
        var (_, problems) = ProjectSheet.Parse(Table("identifier,titel_en,status,status", "X|a|2|2"), Prefix);
        Assert.Equal([(1, "titel_en", "projects.unknown-column"), (1, "status", "projects.duplicate-column")], problems.Select(p => (p.Row, p.Column, p.Code.Key)));
        Assert.Equal("projects.key-column", Assert.Single(ProjectSheet.Parse(Table("title_en", "x"), Prefix).Problems).Code.Key);
    }

    [Fact]
    public void Absent_columns_are_left_alone_and_empty_cells_clear()
    {
        var (rows, problems) = ProjectSheet.Parse(Table("identifier,title_ru,direction,actual_end,transactions", $"{Luban}||||99"), Prefix);
        Assert.Empty(problems);
        var row = Assert.Single(rows);
        Assert.Equal(("ru", null), (row.Titles.Single().Key, row.Titles.Single().Value));
        Assert.Empty(row.Descriptions);
        Assert.Null(row.Status);
        Assert.Equal(new Given<string?>(null), row.Direction);
        Assert.Null(row.Countries);
        Assert.Equal([("actual_end", (DateOnly?)null)], row.Dates.Select(d => (d.Key, d.Value)));
    }

    [Fact]
    public void An_external_id_is_keyed_under_the_secretariats_prefix()
    {
        var (rows, _) = ProjectSheet.Parse(Table("identifier,external_id", "|railway-42", $"{Prefix}-road-7|road-7"), Prefix);
        Assert.Equal([($"{Prefix}-railway-42", true), ($"{Prefix}-road-7", true)], rows.Select(r => (r.Identifier, r.FromExternalId)));
        var (_, problems) = ProjectSheet.Parse(Table("identifier,external_id", $"{Prefix}-a|b", "|bad id"), Prefix);
        Assert.Equal(["projects.external-id-mismatch", "projects.external-id"], problems.Select(p => p.Code.Key));
    }

    // ---- Applying rows ----------------------------------------------------------------------------

    [Fact]
    public void An_update_changes_exactly_the_given_columns_and_keeps_the_rest_of_the_record()
    {
        var (projects, problems) = Apply(Table("identifier,title_en,title_ru,description_zh,status,actual_end,recipient_countries,direction,published,commitments",
            $"{Luban}|Luban Workshop Bishkek||比什凯克鲁班工坊|3|2026-06-30|KG:70;KZ:30|trade|true|grant-2025;secretariat-2023"), Stored());
        Assert.Empty(problems);
        var p = Assert.Single(projects);
        Assert.Equal(["title_en", "title_ru", "description_zh", "status", "actual_end", "recipient_countries", "direction", "commitments"], p.Changed);
        var a = p.Activity;
        Assert.Equal(["en:Luban Workshop Bishkek", "kk:Лу Бань шеберханасы"], a.Titles.Select(t => $"{t.Language}:{t.Text}"));
        Assert.Equal(["1:en,zh", "2:en"], a.Descriptions.Select(d => $"{d.Type}:{string.Join(",", d.Narratives.Select(n => n.Language))}"));
        Assert.Equal("3", a.Status);
        Assert.Equal(new DateOnly(2026, 6, 30), a.Dates["4"]);
        Assert.Equal("Opened by the ministers", a.ActivityDates.Single(d => d.Type == "2").Narratives![0].Text);
        Assert.Equal(["KG:70:Kyrgyzstan", "KZ:30:"], a.RecipientCountries.Select(c => $"{c.Code}:{c.Percentage}:{c.Names?.FirstOrDefault()?.Text}"));
        Assert.Equal(2, a.Transactions.Count);
        Assert.Equal(Now, a.LastUpdated);
        Assert.Equal(("trade", true), (p.DirectionId, p.Published));
        Assert.Equal(["grant-2025", "secretariat-2023"], p.Commitments);
        Assert.True(p.ActivityChanged && p.CountriesChanged && p.CommitmentsChanged);
        Assert.DoesNotContain(IatiRules.Check(a), x => x.IsError);
    }

    [Fact]
    public void A_row_equal_to_the_record_is_unchanged_and_a_secretariat_field_alone_leaves_the_record_as_it_was()
    {
        var stored = Stored();
        var (same, _) = Apply(Table("identifier,title_en,status,planned_start,recipient_countries,direction,published", $"{Luban}| Luban Workshop, Bishkek |2|2024-01-10|KG:100|connectivity|true"), stored);
        Assert.Empty(Assert.Single(same).Changed);
        var (flag, _) = Apply(Table("identifier,dates_estimated,stage", $"{Luban}|true|pledge"), stored);
        var p = Assert.Single(flag);
        Assert.Equal(["stage", "dates_estimated"], p.Changed);
        Assert.False(p.ActivityChanged);
        Assert.Equal(stored.Activity, p.Activity.ToJson()); // no LastUpdated bump: the IATI record did not change
    }

    [Fact]
    public void Export_then_import_of_the_same_row_changes_nothing()
    {
        var stored = Stored();
        var exported = new ProjectSheet.Exported(Luban, stored.Version, IatiActivity.FromJson(stored.Activity), stored.DirectionId, null, false, true, true, Now, stored.Commitments);
        var cells = ProjectSheet.ToCells(exported, Prefix);
        Assert.Equal(ProjectSheet.Columns.Count, cells.Length);
        string Cell(string column) => cells[ProjectSheet.Columns.ToList().IndexOf(column)];
        Assert.Equal(("Luban Workshop, Bishkek", "", "KG:100", "CNY 12500000.5", "USD 1000", "2", "CN-MOFCOM", "1:CN-MOFCOM"),
            (Cell("title_en"), Cell("external_id"), Cell("recipient_countries"), Cell("committed"), Cell("disbursed"), Cell("transactions"), Cell("reporting_org"), Cell("participating_orgs")));
        var table = new SheetTable([.. ProjectSheet.Columns], [new SheetLine(2, [.. cells.Select(ProjectSheet.Neutralise)])]);
        var (projects, problems) = Apply(table, stored with { AmountsEstimated = true });
        Assert.Empty(problems);
        Assert.Empty(Assert.Single(projects).Changed);
    }

    [Fact]
    public void A_record_imported_with_warnings_accepted_round_trips_until_its_row_changes_what_they_are_about()
    {
        // Shares summing to 90 and an unknown status: the Standard's warnings, which an IATI import may accept.
        var stored = Stored() with
        {
            Activity = Stored().Activity.Replace("\"status\":\"2\"", "\"status\":\"8\"", StringComparison.Ordinal)
                .Replace("\"code\":\"KG\",\"percentage\":100", "\"code\":\"KG\",\"percentage\":50},{\"code\":\"KZ\",\"percentage\":40", StringComparison.Ordinal),
        };
        Assert.Equal("KG:50;KZ:40", string.Join(";", IatiActivity.FromJson(stored.Activity).RecipientCountries.Select(c => $"{c.Code}:{c.Percentage}")));
        var (same, problems) = Apply(Table("identifier,status,recipient_countries,title_en", $"{Luban}|8|KG:50;KZ:40|Renamed"), stored);
        Assert.Empty(problems);
        Assert.Equal(["title_en"], Assert.Single(same).Changed);
        var (_, changed) = Apply(Table("identifier,recipient_countries", $"{Luban}|KG:60;KZ:30"), stored);
        Assert.Equal("projects.country-sum", Assert.Single(changed).Code.Key);
    }

    [Fact]
    public void A_new_project_from_an_external_id_is_valid_iati_reported_by_the_secretariat()
    {
        var (projects, problems) = Apply(Table("external_id,title_en,title_zh,description_en,status,planned_start,recipient_countries,direction",
            "road-7|Charging stations on the Urumqi–Caspian road|乌鲁木齐—里海公路充电站|Forty stations.|1|2026-05-01|KZ:60;UZ:40|connectivity"));
        Assert.Empty(problems);
        var p = Assert.Single(projects);
        Assert.True(p.IsNew);
        var a = p.Activity;
        Assert.Equal(($"{Prefix}-road-7", Prefix, "40"), (a.Identifier, a.ReportingOrg!.Ref, a.ReportingOrg.Type));
        Assert.Equal(["1", "2"], a.ParticipatingOrgs.Select(o => o.Role));
        Assert.All(a.ParticipatingOrgs, o => Assert.Equal(Prefix, o.Ref));
        Assert.False(p.Published); // a new project is a draft unless the sheet says published
        Assert.Empty(IatiRules.Check(a)); // no errors and no warnings: prefix, codes, shares

        // And the official 2.03 schema accepts it as exported.
        using var xml = new MemoryStream();
        using (var writer = new IatiWriter(xml, Now)) writer.Write(a);
        xml.Position = 0;
        var schema = IatiReader.LoadSchema(Path.Combine(Caravan.Tests.Support.Requirements.SharedFolder("iati"), "schema"));
        var read = Assert.Single(IatiReader.Read(xml, schema));
        Assert.True(read.SchemaErrors is null, string.Join("\n", read.SchemaErrors ?? []));
    }

    [Fact]
    public void What_cannot_be_applied_is_named_and_nothing_is_planned()
    {
        var (projects, problems) = Apply(Table("identifier,external_id,title_en,planned_start,planned_end,direction,commitments,version,recipient_countries",
            "|bridge|A bridge||||||",                                                         // new, but no description, status or date
            "XX-OTHER-1||Someone else's|2024-01-01|||||",                                     // not ours to create
            $"{Luban}|||2024-01-10|2023-12-31|nowhere|grant-2025;no-such|3|KG:50;KZ:40",      // bad order, direction, commitment, shares
            $"{Luban}-b||||||||KG:50;XX:50"),                                                 // a code IATI does not know
            Stored(), Stored() with { Activity = Stored().Activity.Replace(Luban, Luban + "-b", StringComparison.Ordinal) });
        Assert.Empty(projects);
        Assert.Equal(
        [
            (2, "identifier", "projects.create-missing"), (3, "identifier", "projects.unknown-identifier"),
            (4, "recipient_countries", "projects.country-sum"), (4, "direction", "projects.unknown-direction"),
            (4, "commitments", "projects.unknown-commitment"), (4, "planned_end", "projects.end-before-start"),
            (5, "recipient_countries", "projects.country"),
        ], problems.Select(p => (p.Row, p.Column, p.Code.Key)));
        Assert.Equal($"{Prefix}-bridge: description_*, status, planned_start|planned_end|actual_start|actual_end", problems[0].Message.Detail());
    }

    [Fact]
    public void A_row_from_an_older_export_cannot_undo_a_later_change_and_a_record_cannot_lose_what_iati_requires()
    {
        var (_, unknown) = Apply(Table("identifier,status", $"{Luban}|9"), Stored());
        Assert.Equal(("status", "projects.status", "9"), (unknown[0].Column, unknown[0].Code.Key, unknown[0].Message.Detail()));
        var (_, stale) = Apply(Table("identifier,version,status", $"{Luban}|2|3"), Stored(version: 3));
        Assert.Equal(("version", "projects.stale", "3"), (stale[0].Column, stale[0].Code.Key, stale[0].Message.Detail()));
        var (same, fine) = Apply(Table("identifier,version,status", $"{Luban}|2|2"), Stored(version: 3));
        Assert.Empty(fine); // nothing changes: an old row that agrees is no conflict
        Assert.Empty(same[0].Changed);
        var (_, emptied) = Apply(Table("identifier,title_en,title_ru,description_en,planned_start,actual_start", $"{Luban}|||||"), Stored() with
        {
            Activity = Stored().Activity.Replace("\"kk\"", "\"ru\"", StringComparison.Ordinal),
        });
        Assert.Equal(["projects.title-required", "projects.date-required"], emptied.Select(p => p.Code.Key));
    }
}
