using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;

namespace Caravan.Features.Seed
{
    public sealed partial record SeedDataset
    {
        public List<SeedMeasure> Measures { get; init; } = [];
    }
}

namespace Caravan.Features.Measures
{
    public sealed record SeedMeasure : ICitedSeedRow
    {
        public required string Id { get; init; }
        public required string PledgedBy { get; init; }
        public string? Meeting { get; init; }
        public string? AnnouncedOn { get; init; }
        public required LocalizedText Description { get; init; }
        public decimal? Amount { get; init; }
        public string? Unit { get; init; }
        public SeedPeriod? Period { get; init; }
        public string? Direction { get; init; }
        public LocalizedText? Note { get; init; }
        public List<string> Translated { get; init; } = [];
        public List<SeedCitation> Citations { get; init; } = [];
    }

    /// <summary>The <c>measures</c> section: what a state pledged, and when.</summary>
    public sealed class MeasuresSeedSection : SeedSection
    {
        public override string Property => "measures";
        public override int Order => 600;
        public override IEnumerable<SeededEntity> Entities => [new(typeof(PledgedMeasure), SubjectTypes.Measure)];

        public override void Validate(SeedValidation v)
        {
            var rows = v.Dataset.Measures;
            v.Ids(Property, rows, x => x.Id);
            var states = v.IdsOf<MemberStatesSeedSection>();
            var meetings = v.IdsOf<MeetingsSeedSection>();
            var directions = v.IdsOf<PriorityDirectionsSeedSection>();
            for (var i = 0; i < rows.Count; i++)
            {
                var x = rows[i]; var at = $"$.measures[{i}]";
                v.Ref($"{at}.pledgedBy", x.PledgedBy, states, "member state", required: true);
                v.Ref($"{at}.meeting", x.Meeting, meetings, "meeting");
                v.Ref($"{at}.direction", x.Direction, directions, "priority direction");
                v.Date($"{at}.announcedOn", x.AnnouncedOn);
                v.Date($"{at}.period.from", x.Period?.From);
                v.Date($"{at}.period.to", x.Period?.To);
                v.Text($"{at}.description", x.Description, required: true);
                if (x.Amount is < 0) v.Fail($"{at}.amount", "an amount cannot be negative");
                if (x.Amount is not null && string.IsNullOrWhiteSpace(x.Unit))
                    v.Fail($"{at}.unit", "an amount needs its unit");
                v.Translated($"{at}.translated", x.Translated);
                v.Cited(at, x);
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var rows = import.Dataset.Measures;
            await import.UpsertAsync(import.Db.Measures, rows, r => r.Id,
                r => new PledgedMeasure { Id = r.Id, PledgedById = r.PledgedBy, Description = r.Description }, (r, e) =>
                {
                    e.PledgedById = r.PledgedBy;
                    e.MeetingId = r.Meeting;
                    e.AnnouncedOn = SeedImport.Date(r.AnnouncedOn);
                    e.Description = r.Description;
                    e.Amount = r.Amount;
                    e.Unit = r.Unit;
                    e.PeriodFrom = SeedImport.Date(r.Period?.From);
                    e.PeriodTo = SeedImport.Date(r.Period?.To);
                    e.DirectionId = r.Direction;
                    e.Note = r.Note;
                    e.Translated = r.Translated;
                }, ct);
            import.Cite(SubjectTypes.Measure, rows, r => r.Id);
        }
    }
}
