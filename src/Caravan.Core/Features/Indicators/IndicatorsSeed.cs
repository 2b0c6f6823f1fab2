using Caravan.Features.Indicators;
using Caravan.Features.Mechanism;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;

namespace Caravan.Features.Seed
{
    public sealed partial record SeedDataset
    {
        public List<SeedIndicator> Indicators { get; init; } = [];
        public List<SeedReportedFigure> ReportedFigures { get; init; } = [];
    }
}

namespace Caravan.Features.Indicators
{
    public sealed record SeedIndicator
    {
        public required string Id { get; init; }
        public required LocalizedText Name { get; init; }
        public required string Unit { get; init; }
        public LocalizedText? Description { get; init; }
        public List<string> Translated { get; init; } = [];
        public List<SeedIndicatorValue> Values { get; init; } = [];
        public string? SameMeasureAs { get; init; }
        public List<SeedFigureCheck> Checks { get; init; } = [];
    }

    public sealed record SeedFigureCheck
    {
        public required string Figure { get; init; }
        public int FromYear { get; init; }
        public int ToYear { get; init; }
        public LocalizedText? Basis { get; init; }
    }

    public sealed record SeedIndicatorValue : ICitedSeedRow
    {
        public int Year { get; init; }
        public string? State { get; init; }
        public decimal Value { get; init; }
        public string Qualifier { get; init; } = "exact";
        public LocalizedText? Note { get; init; }
        public List<SeedCitation> Citations { get; init; } = [];
    }

    public sealed record SeedReportedFigure : ICitedSeedRow
    {
        public required string Id { get; init; }
        public required LocalizedText Name { get; init; }
        public decimal Value { get; init; }
        public required string Unit { get; init; }
        public string Qualifier { get; init; } = "exact";
        public string? RegistryCount { get; init; }
        public LocalizedText? Note { get; init; }
        public List<string> Translated { get; init; } = [];
        public List<SeedCitation> Citations { get; init; } = [];
    }

    /// <summary>The <c>indicators</c> section: series with their yearly values and the figures they check.</summary>
    public sealed class IndicatorsSeedSection : SeedSection
    {
        public override string Property => "indicators";
        public override int Order => 700;
        public override IEnumerable<SeededEntity> Entities =>
            [new(typeof(Indicator), null), new(typeof(IndicatorValue), SubjectTypes.IndicatorValue)];

        public override void Validate(SeedValidation v)
        {
            var d = v.Dataset;
            v.Ids(Property, d.Indicators, x => x.Id);
            var states = v.IdsOf<MemberStatesSeedSection>();
            for (var i = 0; i < d.Indicators.Count; i++)
            {
                var x = d.Indicators[i]; var at = $"$.indicators[{i}]";
                v.Text($"{at}.name", x.Name, required: true);
                if (string.IsNullOrWhiteSpace(x.Unit)) v.Fail($"{at}.unit", "an indicator needs a unit");
                v.Translated($"{at}.translated", x.Translated);
                var seen = new HashSet<(int, string?)>();
                for (var j = 0; j < x.Values.Count; j++)
                {
                    var value = x.Values[j]; var vat = $"{at}.values[{j}]";
                    if (value.Year is < 1900 or > 2100) v.Fail($"{vat}.year", $"{value.Year} is not a plausible year");
                    v.Ref($"{vat}.state", value.State, states, "member state");
                    v.Enum<Qualifier>($"{vat}.qualifier", value.Qualifier);
                    if (!seen.Add((value.Year, value.State)))
                        v.Fail(vat, $"a second value for {value.Year} and {value.State ?? "the mechanism as a whole"}");
                    v.Cited(vat, value);
                }
                if (x.SameMeasureAs is { } same)
                {
                    // Values are compared as they stand, so both series must be in one unit.
                    var other = d.Indicators.FirstOrDefault(o => o.Id == same);
                    if (other is null) v.Fail($"{at}.sameMeasureAs", $"unknown indicator '{same}'");
                    else if (other.Id == x.Id)
                        v.Fail($"{at}.sameMeasureAs", "an indicator cannot be another source of itself");
                    else if (other.Unit != x.Unit)
                        v.Fail($"{at}.sameMeasureAs",
                            $"'{same}' is in {other.Unit}, this one in {x.Unit}: "
                            + "values in different units cannot be compared");
                }
                for (var j = 0; j < x.Checks.Count; j++)
                {
                    var check = x.Checks[j]; var cat = $"{at}.checks[{j}]";
                    // Reported figures come after indicators: a check reads the list itself.
                    var figure = d.ReportedFigures.FirstOrDefault(f => f.Id == check.Figure);
                    if (figure is null) v.Fail($"{cat}.figure", $"unknown reported figure '{check.Figure}'");
                    else if (figure.Unit != "%")
                        v.Fail($"{cat}.figure", $"'{check.Figure}' is in {figure.Unit}; "
                            + "only a growth in % can be checked against a series");
                    if (check.FromYear >= check.ToYear)
                        v.Fail($"{cat}.toYear", $"{check.ToYear} is not after {check.FromYear}");
                    v.Text($"{cat}.basis", check.Basis, required: false);
                }
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var (db, rows) = (import.Db, import.Dataset.Indicators);
            await import.UpsertAsync(db.Indicators, rows, r => r.Id,
                r => new Indicator { Id = r.Id, Name = r.Name, Unit = r.Unit }, (r, e) =>
            {
                e.Name = r.Name;
                e.Unit = r.Unit;
                e.Description = r.Description;
                e.Translated = r.Translated;
                e.Checks = [.. r.Checks.Select(c => new FigureCheck(c.Figure, c.FromYear, c.ToYear, c.Basis))];
                // EF orders the inserts by this self-reference, so an indicator may name one listed after it.
                e.SameMeasureAs = r.SameMeasureAs;
            }, ct);
            var values = rows.SelectMany(i => i.Values.Select(v => (Indicator: i.Id, Value: v))).ToList();
            static string Key((string Indicator, SeedIndicatorValue Value) r) =>
                IndicatorValue.KeyOf(r.Indicator, r.Value.Year, r.Value.State);
            await import.UpsertAsync(db.IndicatorValues, values, Key,
                r => new IndicatorValue { Id = Key(r), IndicatorId = r.Indicator }, (r, e) =>
            {
                e.Year = r.Value.Year;
                e.StateId = r.Value.State;
                e.Value = r.Value.Value;
                e.Qualifier = SeedEnums.Parse<Qualifier>(r.Value.Qualifier);
                e.Note = r.Value.Note;
            }, ct);
            import.Cite(SubjectTypes.IndicatorValue, values, Key, r => r.Value);
        }
    }

    /// <summary>
    /// The <c>reportedFigures</c> section: figures officials quote, compared with the series and registries.
    /// </summary>
    public sealed class ReportedFiguresSeedSection : SeedSection
    {
        public override string Property => "reportedFigures";
        public override int Order => 1000;
        public override IEnumerable<SeededEntity> Entities =>
            [new(typeof(ReportedFigure), SubjectTypes.ReportedFigure)];

        public override void Validate(SeedValidation v)
        {
            var rows = v.Dataset.ReportedFigures;
            v.Ids(Property, rows, x => x.Id);
            var meetings = v.IdsOf<MeetingsSeedSection>();
            for (var i = 0; i < rows.Count; i++)
            {
                var x = rows[i]; var at = $"$.reportedFigures[{i}]";
                v.Text($"{at}.name", x.Name, required: true);
                v.Enum<Qualifier>($"{at}.qualifier", x.Qualifier);
                if (x.RegistryCount is { } rc)
                {
                    var parsed = Seed.RegistryCount.TryParse(rc);
                    if (parsed is null)
                        v.Fail($"{at}.registryCount", $"'{rc}' is not documents:<meeting>:<scope> or bodies:<kind>");
                    else if (parsed.MeetingId is { } mid && !meetings.Contains(mid))
                        v.Fail($"{at}.registryCount", $"unknown meeting '{mid}'");
                }
                v.Translated($"{at}.translated", x.Translated);
                v.Cited(at, x);
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var rows = import.Dataset.ReportedFigures;
            await import.UpsertAsync(import.Db.ReportedFigures, rows, r => r.Id,
                r => new ReportedFigure { Id = r.Id, Name = r.Name, Unit = r.Unit }, (r, e) =>
                {
                    e.Name = r.Name;
                    e.Value = r.Value;
                    e.Unit = r.Unit;
                    e.Qualifier = SeedEnums.Parse<Qualifier>(r.Qualifier);
                    e.RegistryCount = r.RegistryCount;
                    e.Note = r.Note;
                    e.Translated = r.Translated;
                }, ct);
            import.Cite(SubjectTypes.ReportedFigure, rows, r => r.Id);
        }
    }
}
