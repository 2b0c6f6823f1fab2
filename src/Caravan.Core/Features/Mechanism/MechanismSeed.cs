using System.Text.RegularExpressions;
using Caravan.Features.Mechanism;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;

namespace Caravan.Features.Seed
{
    public sealed partial record SeedDataset
    {
        public List<SeedMemberState> MemberStates { get; init; } = [];
        public List<SeedBody> Bodies { get; init; } = [];
        public List<SeedMeeting> Meetings { get; init; } = [];
        public List<SeedDirection> PriorityDirections { get; init; } = [];
    }
}

namespace Caravan.Features.Mechanism
{
    public sealed record SeedMemberState : ICitedSeedRow
    {
        public required string Id { get; init; }
        public int Order { get; init; }
        public required LocalizedText Name { get; init; }
        public required LocalizedText ShortName { get; init; }
        public List<SeedNativeName> NativeNames { get; init; } = [];
        public LocalizedText? Capital { get; init; }
        public required string Currency { get; init; }
        public List<SeedLanguage> Languages { get; init; } = [];
        public SeedHeadOfState? HeadOfState { get; init; }
        public List<string> Translated { get; init; } = [];
        public List<SeedCitation> Citations { get; init; } = [];
    }

    public sealed record SeedNativeName(string Language, string Name);
    public sealed record SeedLanguage(string Code, LocalizedText? Status);
    public sealed record SeedHeadOfState(LocalizedText Name, LocalizedText? Title, string? TermStart, string? AsOf);

    public sealed record SeedBody : ICitedSeedRow
    {
        public required string Id { get; init; }
        public required string Kind { get; init; }
        public required LocalizedText Name { get; init; }
        public string? Host { get; init; }
        public LocalizedText? Seat { get; init; }
        public required string Status { get; init; }
        public string? ProposedOn { get; init; }
        public string? AgreedOn { get; init; }
        public string? EstablishedOn { get; init; }
        public string? OperationalOn { get; init; }
        public LocalizedText? Note { get; init; }
        public List<string> Translated { get; init; } = [];
        public List<SeedCitation> Citations { get; init; } = [];
    }

    public sealed record SeedMeeting : ICitedSeedRow
    {
        public required string Id { get; init; }
        public required string Body { get; init; }
        public int? Number { get; init; }
        public required LocalizedText Name { get; init; }
        public string? StartDate { get; init; }
        public string? EndDate { get; init; }
        public string? Date { get; init; }
        public LocalizedText? Place { get; init; }
        public string? Host { get; init; }
        public required string Status { get; init; }
        public LocalizedText? Note { get; init; }
        public List<string> Translated { get; init; } = [];
        public List<SeedCitation> Citations { get; init; } = [];
    }

    public sealed record SeedDirection : ICitedSeedRow
    {
        public required string Id { get; init; }
        public int Order { get; init; }
        public required LocalizedText Name { get; init; }
        public List<string> Translated { get; init; } = [];
        public List<SeedCitation> Citations { get; init; } = [];
    }

    /// <summary>The <c>memberStates</c> section: the six states, which most other sections refer to.</summary>
    public sealed partial class MemberStatesSeedSection : SeedSection
    {
        public override string Property => "memberStates";
        public override int Order => 100;
        public override IEnumerable<SeededEntity> Entities => [new(typeof(MemberState), SubjectTypes.MemberState)];

        public override void Validate(SeedValidation v)
        {
            var rows = v.Dataset.MemberStates;
            v.Ids(Property, rows, s => s.Id, id => MemberState.Codes.Contains(id), "one of CN, KZ, KG, TJ, TM, UZ");
            for (var i = 0; i < rows.Count; i++)
            {
                var s = rows[i]; var at = $"$.memberStates[{i}]";
                v.Text($"{at}.name", s.Name, required: true);
                v.Text($"{at}.shortName", s.ShortName, required: true);
                if (s.Currency is null || !CurrencyCode().IsMatch(s.Currency))
                    v.Fail($"{at}.currency", $"'{s.Currency}' is not an ISO 4217 code");
                v.Translated($"{at}.translated", s.Translated);
                if (s.HeadOfState is { } h)
                {
                    v.Text($"{at}.headOfState.name", h.Name, required: true);
                    v.Date($"{at}.headOfState.termStart", h.TermStart);
                    v.Date($"{at}.headOfState.asOf", h.AsOf);
                }
                for (var j = 0; j < s.NativeNames.Count; j++)
                    if (!SeedValidation.LanguageCode().IsMatch(s.NativeNames[j].Language ?? "")
                        || string.IsNullOrWhiteSpace(s.NativeNames[j].Name))
                        v.Fail($"{at}.nativeNames[{j}]", "a native name needs a language code and a name");
                v.Cited(at, s);
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var rows = import.Dataset.MemberStates;
            await import.UpsertAsync(import.Db.MemberStates, rows, r => r.Id,
                r => new MemberState { Id = r.Id, Name = r.Name, ShortName = r.ShortName, Currency = r.Currency },
                (r, e) =>
                {
                    e.Order = r.Order;
                    e.Name = r.Name;
                    e.ShortName = r.ShortName;
                    e.NativeNames = r.NativeNames.Select(n => new NativeName(n.Language, n.Name.Trim())).ToList();
                    e.Capital = r.Capital;
                    e.Currency = r.Currency;
                    e.Languages = r.Languages.Select(l => new StateLanguage(l.Code, l.Status)).ToList();
                    e.HeadOfStateName = r.HeadOfState?.Name;
                    e.HeadOfStateTitle = r.HeadOfState?.Title;
                    e.HeadOfStateTermStart = SeedImport.Date(r.HeadOfState?.TermStart);
                    e.HeadOfStateAsOf = SeedImport.Date(r.HeadOfState?.AsOf);
                    e.Translated = r.Translated;
                }, ct);
            import.Cite(SubjectTypes.MemberState, rows, r => r.Id);
        }

        [GeneratedRegex("^[A-Z]{3}$")] private static partial Regex CurrencyCode();
    }

    /// <summary>The <c>bodies</c> section: summits, ministerial platforms, secretariat, centres.</summary>
    public sealed class BodiesSeedSection : SeedSection
    {
        public override string Property => "bodies";
        public override int Order => 200;
        public override IEnumerable<SeededEntity> Entities => [new(typeof(Body), SubjectTypes.Body)];

        public override void Validate(SeedValidation v)
        {
            var rows = v.Dataset.Bodies;
            v.Ids(Property, rows, b => b.Id);
            var states = v.IdsOf<MemberStatesSeedSection>();
            for (var i = 0; i < rows.Count; i++)
            {
                var b = rows[i]; var at = $"$.bodies[{i}]";
                v.Enum<BodyKind>($"{at}.kind", b.Kind);
                v.Enum<BodyStatus>($"{at}.status", b.Status);
                v.Text($"{at}.name", b.Name, required: true);
                v.Ref($"{at}.host", b.Host, states, "member state");
                foreach (var (field, value) in new[]
                {
                    ("proposedOn", b.ProposedOn), ("agreedOn", b.AgreedOn), ("establishedOn", b.EstablishedOn),
                    ("operationalOn", b.OperationalOn),
                })
                    v.Date($"{at}.{field}", value);
                v.Translated($"{at}.translated", b.Translated);
                v.Cited(at, b);
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var rows = import.Dataset.Bodies;
            await import.UpsertAsync(import.Db.Bodies, rows, r => r.Id,
                r => new Body { Id = r.Id, Name = r.Name }, (r, e) =>
            {
                e.Kind = SeedEnums.Parse<BodyKind>(r.Kind);
                e.Name = r.Name;
                e.HostStateId = r.Host;
                e.Seat = r.Seat;
                e.Status = SeedEnums.Parse<BodyStatus>(r.Status);
                e.ProposedOn = SeedImport.Date(r.ProposedOn);
                e.AgreedOn = SeedImport.Date(r.AgreedOn);
                e.EstablishedOn = SeedImport.Date(r.EstablishedOn);
                e.OperationalOn = SeedImport.Date(r.OperationalOn);
                e.Note = r.Note;
                e.Translated = r.Translated;
            }, ct);
            import.Cite(SubjectTypes.Body, rows, r => r.Id);
        }
    }

    /// <summary>The <c>meetings</c> section: each meeting of a body.</summary>
    public sealed class MeetingsSeedSection : SeedSection
    {
        public override string Property => "meetings";
        public override int Order => 300;
        public override IEnumerable<SeededEntity> Entities => [new(typeof(Meeting), SubjectTypes.Meeting)];

        public override void Validate(SeedValidation v)
        {
            var rows = v.Dataset.Meetings;
            v.Ids(Property, rows, m => m.Id);
            var (states, bodies) = (v.IdsOf<MemberStatesSeedSection>(), v.IdsOf<BodiesSeedSection>());
            for (var i = 0; i < rows.Count; i++)
            {
                var m = rows[i]; var at = $"$.meetings[{i}]";
                v.Ref($"{at}.body", m.Body, bodies, "body", required: true);
                v.Text($"{at}.name", m.Name, required: true);
                v.Date($"{at}.date", m.Date);
                v.Date($"{at}.startDate", m.StartDate);
                v.Date($"{at}.endDate", m.EndDate);
                if (PartialDate.TryParse(m.StartDate, out var start) && PartialDate.TryParse(m.EndDate, out var end)
                    && start.Earliest > end.Latest)
                    v.Fail($"{at}.endDate", $"the meeting ends ({m.EndDate}) before it starts ({m.StartDate})");
                v.Ref($"{at}.host", m.Host, states, "member state");
                v.Enum<MeetingStatus>($"{at}.status", m.Status);
                if (m.Number is < 1) v.Fail($"{at}.number", "a meeting number counts from 1");
                v.Translated($"{at}.translated", m.Translated);
                v.Cited(at, m);
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var rows = import.Dataset.Meetings;
            await import.UpsertAsync(import.Db.Meetings, rows, r => r.Id,
                r => new Meeting { Id = r.Id, BodyId = r.Body, Name = r.Name }, (r, e) =>
                {
                    e.BodyId = r.Body;
                    e.Number = r.Number;
                    e.Name = r.Name;
                    e.Date = SeedImport.Date(r.Date);
                    e.StartDate = SeedImport.Date(r.StartDate);
                    e.EndDate = SeedImport.Date(r.EndDate);
                    e.Place = r.Place;
                    e.HostStateId = r.Host;
                    e.Status = SeedEnums.Parse<MeetingStatus>(r.Status);
                    e.Note = r.Note;
                    e.Translated = r.Translated;
                }, ct);
            import.Cite(SubjectTypes.Meeting, rows, r => r.Id);
        }
    }

    /// <summary>The <c>priorityDirections</c> section: the directions measures and commitments serve.</summary>
    public sealed class PriorityDirectionsSeedSection : SeedSection
    {
        public override string Property => "priorityDirections";
        public override int Order => 400;
        public override IEnumerable<SeededEntity> Entities => [new(typeof(PriorityDirection), SubjectTypes.Direction)];

        public override void Validate(SeedValidation v)
        {
            var rows = v.Dataset.PriorityDirections;
            v.Ids(Property, rows, x => x.Id);
            for (var i = 0; i < rows.Count; i++)
            {
                var x = rows[i]; var at = $"$.priorityDirections[{i}]";
                v.Text($"{at}.name", x.Name, required: true);
                v.Translated($"{at}.translated", x.Translated);
                v.Cited(at, x);
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var rows = import.Dataset.PriorityDirections;
            await import.UpsertAsync(import.Db.PriorityDirections, rows, r => r.Id,
                r => new PriorityDirection { Id = r.Id, Name = r.Name }, (r, e) =>
                {
                    e.Order = r.Order;
                    e.Name = r.Name;
                    e.Translated = r.Translated;
                }, ct);
            import.Cite(SubjectTypes.Direction, rows, r => r.Id);
        }
    }
}
