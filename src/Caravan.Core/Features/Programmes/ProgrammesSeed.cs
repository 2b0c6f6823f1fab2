using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Caravan.Features.Programmes;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;

namespace Caravan.Features.Seed
{
    public sealed partial record SeedDataset
    {
        public List<SeedProgramme> Programmes { get; init; } = [];
    }
}

namespace Caravan.Features.Programmes
{
    /// <summary>A pledge kept as a ledger (its entries are recorded in Caravan, never seeded).</summary>
    public sealed record SeedProgramme : ICitedSeedRow
    {
        public required string Id { get; init; }
        /// <summary>
        /// The pledged measure it keeps the ledger of; its description is the name unless <see cref="Name"/> is given.
        /// </summary>
        public string? Measure { get; init; }
        public LocalizedText? Name { get; init; }
        public List<string> Translated { get; init; } = [];
        public string? Unit { get; init; }
        public decimal Pledged { get; init; }
        public required string PledgedBy { get; init; }
        public string? Meeting { get; init; }
        public string? AnnouncedOn { get; init; }
        /// <summary>Days (YYYY-MM-DD), as the sources allow; absent when they give none.</summary>
        public SeedPeriod? Period { get; init; }
        public LocalizedText? PeriodNote { get; init; }
        public string? Body { get; init; }
        public List<SeedCitation> Citations { get; init; } = [];
    }

    /// <summary>The <c>programmes</c> section: the pledges kept as ledgers, each agreeing with its measure.</summary>
    public sealed class ProgrammesSeedSection : SeedSection
    {
        public override string Property => "programmes";
        public override int Order => 1200;
        public override IEnumerable<SeededEntity> Entities => [new(typeof(Programme), SubjectTypes.Programme)];

        public override void Validate(SeedValidation v)
        {
            var d = v.Dataset;
            v.Ids(Property, d.Programmes, x => x.Id);
            var (states, bodies) = (v.IdsOf<MemberStatesSeedSection>(), v.IdsOf<BodiesSeedSection>());
            var (meetings, measures) = (v.IdsOf<MeetingsSeedSection>(), v.IdsOf<MeasuresSeedSection>());
            for (var i = 0; i < d.Programmes.Count; i++)
            {
                var x = d.Programmes[i]; var at = $"$.programmes[{i}]";
                v.Ref($"{at}.measure", x.Measure, measures, "measure");
                if (x.Name is null && x.Measure is null)
                    v.Fail($"{at}.name", "a programme needs a name, or a measure to take it from");
                if (!Programme.Units.Contains(x.Unit ?? ""))
                    v.Fail($"{at}.unit", $"'{x.Unit}' is not one of {string.Join(", ", Programme.Units)}");
                if (x.Pledged <= 0) v.Fail($"{at}.pledged", "the pledged quantity must be more than zero");
                // The ledger keeps the measure's own pledge: the two cannot disagree.
                if (d.Measures.FirstOrDefault(m => m.Id == x.Measure) is { } measure
                    && (measure.Amount != x.Pledged || measure.Unit != x.Unit))
                    v.Fail($"{at}.pledged",
                        $"{x.Pledged} {x.Unit} differs from measure '{measure.Id}' ({measure.Amount} {measure.Unit})");
                v.Ref($"{at}.pledgedBy", x.PledgedBy, states, "member state", required: true);
                v.Ref($"{at}.meeting", x.Meeting, meetings, "meeting");
                v.Ref($"{at}.body", x.Body, bodies, "body");
                v.Date($"{at}.announcedOn", x.AnnouncedOn);
                DateOnly? from = null, to = null;
                if (x.Period?.From is { } f)
                {
                    if (DateOnly.TryParseExact(f, "yyyy-MM-dd", out var day)) from = day;
                    else v.Fail($"{at}.period.from", $"'{f}' is not a day (YYYY-MM-DD)");
                }
                if (x.Period?.To is { } t)
                {
                    if (DateOnly.TryParseExact(t, "yyyy-MM-dd", out var day)) to = day;
                    else v.Fail($"{at}.period.to", $"'{t}' is not a day (YYYY-MM-DD)");
                }
                if (from > to)
                    v.Fail($"{at}.period", $"the period ends ({to:yyyy-MM-dd}) before it begins ({from:yyyy-MM-dd})");
                if (x.Period is not null && x.PeriodNote is null)
                    v.Fail($"{at}.periodNote", "say how the period was read from the sources");
                v.Translated($"{at}.translated", x.Translated);
                v.Cited(at, x);
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var d = import.Dataset;
            await import.UpsertAsync(import.Db.Programmes, d.Programmes, r => r.Id,
                r => new Programme { Id = r.Id, Name = r.Name!, Unit = r.Unit!, PledgedById = r.PledgedBy }, (r, e) =>
                {
                    var measure = d.Measures.FirstOrDefault(m => m.Id == r.Measure);
                    e.Name = r.Name ?? measure!.Description;
                    e.Translated = r.Name is null ? measure!.Translated : r.Translated;
                    e.Unit = r.Unit!;
                    e.Kind = Programme.KindOf(r.Unit!);
                    e.Pledged = r.Pledged;
                    e.PledgedById = r.PledgedBy;
                    e.MeetingId = r.Meeting;
                    e.AnnouncedOn = SeedImport.Date(r.AnnouncedOn);
                    e.PeriodFrom = r.Period?.From is { } from ? DateOnly.ParseExact(from, "yyyy-MM-dd") : null;
                    e.PeriodTo = r.Period?.To is { } to ? DateOnly.ParseExact(to, "yyyy-MM-dd") : null;
                    e.PeriodNote = r.PeriodNote;
                    // The body the secretariat set (record kind "programmes") is kept unless the dataset names one.
                    if (r.Body is not null) e.BodyId = r.Body;
                    e.MeasureId = r.Measure;
                }, ct);
            import.Cite(SubjectTypes.Programme, d.Programmes, r => r.Id);
        }
    }
}
