using Caravan.Features.Documents;
using Caravan.Features.Partnerships;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Seed
{
    public sealed partial record SeedDataset
    {
        public List<SeedPartnership> Partnerships { get; init; } = [];
    }
}

namespace Caravan.Features.Partnerships
{
    /// <summary>
    /// A partnership (sister cities, a Luban Workshop, a visa arrangement…); its id names its two states.
    /// </summary>
    public sealed record SeedPartnership : ICitedSeedRow
    {
        public required string Id { get; init; }
        public required string Kind { get; init; }
        public required string Status { get; init; }
        public LocalizedText? Name { get; init; }
        public LocalizedText? PlaceA { get; init; }
        public decimal? LatitudeA { get; init; }
        public decimal? LongitudeA { get; init; }
        public LocalizedText? PlaceB { get; init; }
        public decimal? LatitudeB { get; init; }
        public decimal? LongitudeB { get; init; }
        public LocalizedText? Institution { get; init; }
        public LocalizedText? PartnerInstitution { get; init; }
        public LocalizedText? Terms { get; init; }
        public LocalizedText? Agreement { get; init; }
        public string? Document { get; init; }
        public string? AgreedOn { get; init; }
        public string? StartedOn { get; init; }
        public string? EndedOn { get; init; }
        public LocalizedText? Note { get; init; }
        public List<string> Translated { get; init; } = [];
        public List<SeedCitation> Citations { get; init; } = [];
    }

    /// <summary>
    /// The <c>partnerships</c> section: checked by the same rules as a partnership recorded through the workflow.
    /// </summary>
    public sealed class PartnershipsSeedSection : SeedSection
    {
        public override string Property => "partnerships";
        public override int Order => 1100;
        public override IEnumerable<SeededEntity> Entities => [new(typeof(Partnership), SubjectTypes.Partnership)];

        public override IEnumerable<SeedRetractable> Retractables =>
        [
            new(SeedRetractions.Partnership, d => d.Partnerships.Select(p => p.Id), async (db, id, ct) =>
                await db.Partnerships.FirstOrDefaultAsync(p => p.Id == id, ct) is { } p
                    ? new RetractedRecord([p]) : null),
        ];

        public override void Validate(SeedValidation v)
        {
            var rows = v.Dataset.Partnerships;
            v.Ids(Property, rows, x => x.Id);
            var documents = v.IdsOf<DocumentsSeedSection>();
            for (var i = 0; i < rows.Count; i++)
            {
                var x = rows[i]; var at = $"$.partnerships[{i}]";
                var (a, b, idError) = PartnershipRules.StatesOf(x.Id ?? "");
                if (idError is not null)
                    v.Fail($"{at}.id", $"'{x.Id}' must begin with the two member states' codes, "
                        + $"e.g. tj-cn-luban-workshop-dushanbe ({idError})");
                v.Enum<PartnershipKind>($"{at}.kind", x.Kind);
                v.Enum<PartnershipStatus>($"{at}.status", x.Status);
                v.Ref($"{at}.document", x.Document, documents, "document");
                foreach (var (field, value) in
                    new[] { ("agreedOn", x.AgreedOn), ("startedOn", x.StartedOn), ("endedOn", x.EndedOn) })
                    v.Date($"{at}.{field}", value);
                v.Translated($"{at}.translated", x.Translated);
                v.Cited(at, x);
                if (idError is null && SeedEnums.TryParse<PartnershipKind>(x.Kind, out var kind)
                    && SeedEnums.TryParse<PartnershipStatus>(x.Status, out var status)
                    && new[] { x.AgreedOn, x.StartedOn, x.EndedOn }
                        .All(t => t is null || PartialDate.TryParse(t, out _)))
                {
                    var entity = ToPartnership(x, a, b, kind, status);
                    // The dataset states facts as of its date, so no date of it is "in the future".
                    foreach (var (field, message) in PartnershipRules.Problems(entity, DateOnly.MaxValue))
                        v.Fail($"{at}.{SeedField(field)}", message.Args.Count == 0 ? message.Code.Key
                            : $"{message.Code.Key} ({string.Join(", ", message.Args.Select(a => a.Invariant))})");
                    var earlier = rows.Take(i)
                        .Where(o => o.Id != x.Id && PartnershipRules.StatesOf(o.Id ?? "").Error is null
                            && SeedEnums.TryParse<PartnershipKind>(o.Kind, out _)
                            && SeedEnums.TryParse<PartnershipStatus>(o.Status, out _))
                        .Select(o =>
                        {
                            var (oa, ob, _) = PartnershipRules.StatesOf(o.Id);
                            return ToPartnership(o, oa, ob, SeedEnums.Parse<PartnershipKind>(o.Kind),
                                SeedEnums.Parse<PartnershipStatus>(o.Status));
                        });
                    if (PartnershipRules.DuplicateOf(entity, earlier) is { } duplicate)
                        v.Fail(at, $"repeats the partnership '{duplicate.Id}'");
                }
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var rows = import.Dataset.Partnerships;
            await import.UpsertAsync(import.Db.Partnerships, rows, r => r.Id, r =>
            {
                var (a, b, _) = PartnershipRules.StatesOf(r.Id);
                return new Partnership { Id = r.Id, StateA = a, StateB = b };
            }, (r, e) =>
            {
                e.Kind = SeedEnums.Parse<PartnershipKind>(r.Kind);
                e.Status = SeedEnums.Parse<PartnershipStatus>(r.Status);
                e.Name = r.Name;
                e.PlaceA = r.PlaceA;
                e.LatitudeA = r.LatitudeA;
                e.LongitudeA = r.LongitudeA;
                e.PlaceB = r.PlaceB;
                e.LatitudeB = r.LatitudeB;
                e.LongitudeB = r.LongitudeB;
                e.Institution = r.Institution;
                e.PartnerInstitution = r.PartnerInstitution;
                e.Terms = r.Terms;
                e.Agreement = r.Agreement;
                e.DocumentId = r.Document;
                e.AgreedOn = SeedImport.Date(r.AgreedOn);
                e.StartedOn = SeedImport.Date(r.StartedOn);
                e.EndedOn = SeedImport.Date(r.EndedOn);
                e.Note = r.Note;
                e.Translated = r.Translated;
            }, ct);
            import.Cite(SubjectTypes.Partnership, rows, r => r.Id);
        }

        private static Partnership ToPartnership(SeedPartnership x, string a, string b, PartnershipKind kind,
            PartnershipStatus status) => new()
        {
            Id = x.Id, StateA = a, StateB = b, Kind = kind, Status = status, Name = x.Name,
            PlaceA = x.PlaceA, LatitudeA = x.LatitudeA, LongitudeA = x.LongitudeA,
            PlaceB = x.PlaceB, LatitudeB = x.LatitudeB, LongitudeB = x.LongitudeB,
            Institution = x.Institution, PartnerInstitution = x.PartnerInstitution, Terms = x.Terms,
            Agreement = x.Agreement,
            DocumentId = x.Document, AgreedOn = SeedImport.Date(x.AgreedOn), StartedOn = SeedImport.Date(x.StartedOn),
            EndedOn = SeedImport.Date(x.EndedOn), Note = x.Note,
        };

        /// <summary>
        /// A record field (<c>place-a.en</c>, <c>latitude-b</c>) as the data file names it (<c>placeA</c>,
        /// <c>latitudeB</c>).
        /// </summary>
        private static string SeedField(string field)
        {
            var name = field.Split('.')[0];
            var parts = name.Split('-');
            return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        }
    }
}
