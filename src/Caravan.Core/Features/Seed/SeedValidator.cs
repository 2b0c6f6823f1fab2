using System.Text.RegularExpressions;
using Caravan.Features.Documents;
using Caravan.Features.Indicators;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Caravan.Shared;

namespace Caravan.Features.Seed;

/// <summary>
/// Everything a seed file must satisfy before a single row is written: ids, references, dates, codes,
/// and a source behind every fact. Returns problems with their JSON path; the caller adds line numbers.
/// </summary>
public static partial class SeedValidator
{
    public static IReadOnlyList<SeedProblem> Validate(SeedDataset d)
    {
        var v = new Checker();
        if (string.IsNullOrWhiteSpace(d.Dataset) || !Slug().IsMatch(d.Dataset)) v.Fail("$.dataset", "the dataset name must be a slug such as 'cca-mechanism'");
        if (d.Version < 1) v.Fail("$.version", "the version must be a whole number from 1 up");
        if (d.AsOf is not null && !PartialDate.TryParse(d.AsOf, out _)) v.Fail("$.asOf", $"'{d.AsOf}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");

        foreach (var (id, source) in d.Sources)
        {
            var at = $"$.sources.{id}";
            if (!SourceId().IsMatch(id)) v.Fail(at, $"source id '{id}' may hold only lower-case letters, digits, '_' and '-'");
            if (string.IsNullOrWhiteSpace(source.Title)) v.Fail($"{at}.title", "a source needs a title");
            if (source.Url is not null && !(Uri.TryCreate(source.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                v.Fail($"{at}.url", $"'{source.Url}' is not an http(s) address");
            if (source.Language is null || !LanguageCode().IsMatch(source.Language)) v.Fail($"{at}.language", $"'{source.Language}' is not an ISO 639-1 language code");
        }

        var states = v.Ids("$.memberStates", d.MemberStates, s => s.Id, id => MemberState.Codes.Contains(id), "one of CN, KZ, KG, TJ, TM, UZ");
        var bodies = v.Ids("$.bodies", d.Bodies, b => b.Id);
        var meetings = v.Ids("$.meetings", d.Meetings, m => m.Id);
        var documents = v.Ids("$.documents", d.Documents, x => x.Id);
        var directions = v.Ids("$.priorityDirections", d.PriorityDirections, x => x.Id);
        var measures = v.Ids("$.measures", d.Measures, x => x.Id);
        v.Ids("$.indicators", d.Indicators, x => x.Id);
        v.Ids("$.reportedFigures", d.ReportedFigures, x => x.Id);
        _ = documents;

        void Cited(string at, ICitedSeedRow row)
        {
            if (row.Citations.Count == 0) v.Fail($"{at}.citations", "every fact needs at least one source");
            for (var i = 0; i < row.Citations.Count; i++)
            {
                var c = row.Citations[i];
                if (!d.Sources.ContainsKey(c.Source ?? "")) v.Fail($"{at}.citations[{i}].source", $"unknown source '{c.Source}'");
                if (!SeedEnums.TryParse<Confidence>(c.Confidence, out _)) v.Fail($"{at}.citations[{i}].confidence", $"'{c.Confidence}' is not high, medium or low");
            }
            if (row.Citations.GroupBy(c => c.Source).Any(g => g.Count() > 1)) v.Fail($"{at}.citations", "a source is cited twice");
        }

        for (var i = 0; i < d.MemberStates.Count; i++)
        {
            var s = d.MemberStates[i]; var at = $"$.memberStates[{i}]";
            v.Text($"{at}.name", s.Name, required: true);
            v.Text($"{at}.shortName", s.ShortName, required: true);
            if (s.Currency is null || !CurrencyCode().IsMatch(s.Currency)) v.Fail($"{at}.currency", $"'{s.Currency}' is not an ISO 4217 code");
            v.Translated($"{at}.translated", s.Translated);
            if (s.HeadOfState is { } h)
            {
                v.Text($"{at}.headOfState.name", h.Name, required: true);
                v.Date($"{at}.headOfState.termStart", h.TermStart);
                v.Date($"{at}.headOfState.asOf", h.AsOf);
            }
            for (var j = 0; j < s.NativeNames.Count; j++)
                if (!LanguageCode().IsMatch(s.NativeNames[j].Language ?? "") || string.IsNullOrWhiteSpace(s.NativeNames[j].Name))
                    v.Fail($"{at}.nativeNames[{j}]", "a native name needs a language code and a name");
            Cited(at, s);
        }
        for (var i = 0; i < d.Bodies.Count; i++)
        {
            var b = d.Bodies[i]; var at = $"$.bodies[{i}]";
            v.Enum<BodyKind>($"{at}.kind", b.Kind);
            v.Enum<BodyStatus>($"{at}.status", b.Status);
            v.Text($"{at}.name", b.Name, required: true);
            v.Ref($"{at}.host", b.Host, states, "member state");
            foreach (var (field, value) in new[] { ("proposedOn", b.ProposedOn), ("agreedOn", b.AgreedOn), ("establishedOn", b.EstablishedOn), ("operationalOn", b.OperationalOn) })
                v.Date($"{at}.{field}", value);
            v.Translated($"{at}.translated", b.Translated);
            Cited(at, b);
        }
        for (var i = 0; i < d.Meetings.Count; i++)
        {
            var m = d.Meetings[i]; var at = $"$.meetings[{i}]";
            v.Ref($"{at}.body", m.Body, bodies, "body", required: true);
            v.Text($"{at}.name", m.Name, required: true);
            v.Date($"{at}.date", m.Date);
            v.Date($"{at}.startDate", m.StartDate);
            v.Date($"{at}.endDate", m.EndDate);
            if (PartialDate.TryParse(m.StartDate, out var start) && PartialDate.TryParse(m.EndDate, out var end) && start.Earliest > end.Latest)
                v.Fail($"{at}.endDate", $"the meeting ends ({m.EndDate}) before it starts ({m.StartDate})");
            v.Ref($"{at}.host", m.Host, states, "member state");
            v.Enum<MeetingStatus>($"{at}.status", m.Status);
            if (m.Number is < 1) v.Fail($"{at}.number", "a meeting number counts from 1");
            v.Translated($"{at}.translated", m.Translated);
            Cited(at, m);
        }
        for (var i = 0; i < d.Documents.Count; i++)
        {
            var x = d.Documents[i]; var at = $"$.documents[{i}]";
            v.Enum<DocumentKind>($"{at}.kind", x.Kind);
            v.Enum<DocumentScope>($"{at}.scope", x.Scope);
            v.Text($"{at}.title", x.Title, required: true);
            v.Ref($"{at}.meeting", x.Meeting, meetings, "meeting");
            v.Date($"{at}.signedOn", x.SignedOn);
            if (x.Parties.Count == 0) v.Fail($"{at}.parties", "a document needs its parties");
            for (var j = 0; j < x.Parties.Count; j++) v.Ref($"{at}.parties[{j}]", x.Parties[j], states, "member state");
            if (x.Parties.Distinct().Count() != x.Parties.Count) v.Fail($"{at}.parties", "a party is listed twice");
            // A group of bilateral agreements whose other parties no source names lists the one party known, and says so.
            if (x.Scope == "bilateral" && x.Parties.Count == 1 && x.Note is null) v.Fail($"{at}.parties", "a bilateral document has two parties (one only when the note says the other is not known)");
            v.Translated($"{at}.translated", x.Translated);
            Cited(at, x);
            if (x.EntryIntoForce is { } rule)
            {
                v.Enum<Treaties.EntryIntoForceKind>($"{at}.entryIntoForce.rule", rule.Rule);
                if (SeedEnums.TryParse<Treaties.EntryIntoForceKind>(rule.Rule, out var kind) && new Treaties.EntryIntoForceRule(kind, rule.Days, rule.Instruments).Problem(x.Parties.Count) is { } problem)
                    v.Fail($"{at}.entryIntoForce", problem == "treaty.rule.days" ? "days must be 0 to 3650" : "instruments must be 1 to the number of parties");
            }
            if ((x.EntryIntoForce is not null || x.Ratification.Count > 0) && x.Kind != "treaty") v.Fail($"{at}.kind", "only a treaty has entry into force and ratification steps");
            for (var j = 0; j < x.Texts.Count; j++)
            {
                var t = x.Texts[j]; var tat = $"{at}.texts[{j}]";
                if (!Documents.DocumentText.Languages.Contains(t.Language)) v.Fail($"{tat}.language", $"'{t.Language}' is not one of {string.Join(", ", Documents.DocumentText.Languages)}");
                if (t.Source is not null && !d.Sources.ContainsKey(t.Source)) v.Fail($"{tat}.source", $"no source '{t.Source}'");
                if (t.Provisions.Count == 0) v.Fail($"{tat}.provisions", "a text has at least one provision");
                if (t.Provisions.Select(p => p.Number).Distinct().Count() != t.Provisions.Count) v.Fail($"{tat}.provisions", "a provision number is listed twice");
                if (t.Provisions.Any(p => string.IsNullOrWhiteSpace(p.Text))) v.Fail($"{tat}.provisions", "a provision has no text");
            }
            for (var j = 0; j < x.Ratification.Count; j++)
            {
                var step = x.Ratification[j]; var sat = $"{at}.ratification[{j}]";
                if (!x.Parties.Contains(step.State)) v.Fail($"{sat}.state", $"'{step.State}' is not a party to this treaty");
                v.Enum<Treaties.RatificationStepKind>($"{sat}.step", step.Step);
                v.Date($"{sat}.on", step.On);
                if (x.Ratification.Take(j).Any(o => o.State == step.State && o.Step == step.Step)) v.Fail($"{sat}", "this step of this state is listed twice");
                if (PartialDate.TryParse(step.On, out var on) && PartialDate.TryParse(x.SignedOn, out var signed) && step.Step != "signature" && on.Latest < signed.Earliest)
                    v.Fail($"{sat}.on", $"{step.On} is before the signature ({x.SignedOn})");
                Cited(sat, step);
            }
        }
        var periods = v.Ids("$.reportingPeriods", d.ReportingPeriods, x => x.Id);
        for (var i = 0; i < d.ReportingPeriods.Count; i++)
        {
            var x = d.ReportingPeriods[i]; var at = $"$.reportingPeriods[{i}]";
            v.Text($"{at}.name", x.Name, required: true);
            v.Date($"{at}.from", x.From);
            v.Date($"{at}.to", x.To);
            v.Date($"{at}.dueOn", x.DueOn);
            v.Ref($"{at}.closesAt", x.ClosesAt, meetings, "meeting");
        }
        var commitmentIds = v.Ids("$.commitments", d.Commitments, x => x.Id);
        for (var i = 0; i < d.Commitments.Count; i++)
        {
            var x = d.Commitments[i]; var at = $"$.commitments[{i}]";
            v.Text($"{at}.text", x.Text, required: true);
            v.Ref($"{at}.document", x.Document, documents, "document");
            v.Ref($"{at}.meeting", x.Meeting, meetings, "meeting");
            if (x.Document is null && x.Meeting is null) v.Fail($"{at}", "a commitment comes from a document or, failing that, a meeting");
            v.Ref($"{at}.activeOnceInForce", x.ActiveOnceInForce, documents, "document");
            v.Ref($"{at}.firstPeriod", x.FirstPeriod, periods, "reporting period", required: true);
            v.Ref($"{at}.carriedOverFrom", x.CarriedOverFrom, commitmentIds, "commitment");
            v.Enum<Commitments.CommitmentKind>($"{at}.kind", x.Kind);
            v.Enum<Commitments.CombineRule>($"{at}.combine", x.Combine);
            v.Date($"{at}.deadline", x.Deadline);
            // Parties no source names stay unknown (an empty list), and the note says why.
            if (x.Parties.Count == 0 && x.Note is null) v.Fail($"{at}.parties", "a commitment binds at least one member state (none only when the note says the parties are not known)");
            // A commitment is an outcome of the mechanism: its document cannot predate the period it is first assessed in.
            if (d.Documents.FirstOrDefault(o => o.Id == x.Document) is { SignedOn: { } signedOn } && d.ReportingPeriods.FirstOrDefault(p => p.Id == x.FirstPeriod) is { } first
                && PartialDate.TryParse(signedOn, out var signedDate) && PartialDate.TryParse(first.From, out var periodFrom) && signedDate.Latest < periodFrom.Earliest)
                v.Fail($"{at}.firstPeriod", $"the document was signed on {signedOn}, before the period '{first.Id}' begins ({first.From})");
            for (var j = 0; j < x.Parties.Count; j++) v.Ref($"{at}.parties[{j}]", x.Parties[j], states, "member state");
            for (var j = 0; j < x.Lead.Count; j++) v.Ref($"{at}.lead[{j}]", x.Lead[j], bodies, "body");
            for (var j = 0; j < x.Supporting.Count; j++) v.Ref($"{at}.supporting[{j}]", x.Supporting[j], bodies, "body");
            v.Translated($"{at}.translated", x.Translated);
            Cited(at, x);
            for (var j = 0; j < x.Assessments.Count; j++)
            {
                var a = x.Assessments[j]; var aat = $"{at}.assessments[{j}]";
                if (!x.Parties.Contains(a.State)) v.Fail($"{aat}.state", $"'{a.State}' is not bound by this commitment");
                v.Ref($"{aat}.period", a.Period, periods, "reporting period", required: true);
                if (!Commitments.ComplianceRules.IsValidScore(a.Score)) v.Fail($"{aat}.score", "a score is -1, 0 or 1");
                v.Text($"{aat}.evidence", a.Evidence, required: true);
                v.Date($"{aat}.assessedOn", a.AssessedOn);
                if (x.Assessments.Take(j).Any(o => o.State == a.State && o.Period == a.Period)) v.Fail(aat, "this state and period are scored twice");
                if (a.Citations.Count == 0) v.Fail($"{aat}.citations", "a score needs its evidence's source");
                Cited(aat, a);
            }
        }
        for (var i = 0; i < d.PriorityDirections.Count; i++)
        {
            var x = d.PriorityDirections[i]; var at = $"$.priorityDirections[{i}]";
            v.Text($"{at}.name", x.Name, required: true);
            v.Translated($"{at}.translated", x.Translated);
            Cited(at, x);
        }
        for (var i = 0; i < d.Measures.Count; i++)
        {
            var x = d.Measures[i]; var at = $"$.measures[{i}]";
            v.Ref($"{at}.pledgedBy", x.PledgedBy, states, "member state", required: true);
            v.Ref($"{at}.meeting", x.Meeting, meetings, "meeting");
            v.Ref($"{at}.direction", x.Direction, directions, "priority direction");
            v.Date($"{at}.announcedOn", x.AnnouncedOn);
            v.Date($"{at}.period.from", x.Period?.From);
            v.Date($"{at}.period.to", x.Period?.To);
            v.Text($"{at}.description", x.Description, required: true);
            if (x.Amount is < 0) v.Fail($"{at}.amount", "an amount cannot be negative");
            if (x.Amount is not null && string.IsNullOrWhiteSpace(x.Unit)) v.Fail($"{at}.unit", "an amount needs its unit");
            v.Translated($"{at}.translated", x.Translated);
            Cited(at, x);
        }
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
                if (!seen.Add((value.Year, value.State))) v.Fail(vat, $"a second value for {value.Year} and {value.State ?? "the mechanism as a whole"}");
                Cited(vat, value);
            }
            if (x.SameMeasureAs is { } same)
            {
                // Values are compared as they stand, so both series must be in one unit.
                var other = d.Indicators.FirstOrDefault(o => o.Id == same);
                if (other is null) v.Fail($"{at}.sameMeasureAs", $"unknown indicator '{same}'");
                else if (other.Id == x.Id) v.Fail($"{at}.sameMeasureAs", "an indicator cannot be another source of itself");
                else if (other.Unit != x.Unit) v.Fail($"{at}.sameMeasureAs", $"'{same}' is in {other.Unit}, this one in {x.Unit}: values in different units cannot be compared");
            }
            for (var j = 0; j < x.Checks.Count; j++)
            {
                var check = x.Checks[j]; var cat = $"{at}.checks[{j}]";
                var figure = d.ReportedFigures.FirstOrDefault(f => f.Id == check.Figure);
                if (figure is null) v.Fail($"{cat}.figure", $"unknown reported figure '{check.Figure}'");
                else if (figure.Unit != "%") v.Fail($"{cat}.figure", $"'{check.Figure}' is in {figure.Unit}; only a growth in % can be checked against a series");
                if (check.FromYear >= check.ToYear) v.Fail($"{cat}.toYear", $"{check.ToYear} is not after {check.FromYear}");
                v.Text($"{cat}.basis", check.Basis, required: false);
            }
        }
        for (var i = 0; i < d.ReportedFigures.Count; i++)
        {
            var x = d.ReportedFigures[i]; var at = $"$.reportedFigures[{i}]";
            v.Text($"{at}.name", x.Name, required: true);
            v.Enum<Qualifier>($"{at}.qualifier", x.Qualifier);
            if (x.RegistryCount is { } rc)
            {
                var parsed = RegistryCount.TryParse(rc);
                if (parsed is null) v.Fail($"{at}.registryCount", $"'{rc}' is not documents:<meeting>:<scope> or bodies:<kind>");
                else if (parsed.MeetingId is { } mid && !meetings.Contains(mid)) v.Fail($"{at}.registryCount", $"unknown meeting '{mid}'");
            }
            v.Translated($"{at}.translated", x.Translated);
            Cited(at, x);
        }
        v.Ids("$.programmes", d.Programmes, x => x.Id);
        for (var i = 0; i < d.Programmes.Count; i++)
        {
            var x = d.Programmes[i]; var at = $"$.programmes[{i}]";
            v.Ref($"{at}.measure", x.Measure, measures, "measure");
            if (x.Name is null && x.Measure is null) v.Fail($"{at}.name", "a programme needs a name, or a measure to take it from");
            if (!Programmes.Programme.Units.Contains(x.Unit ?? "")) v.Fail($"{at}.unit", $"'{x.Unit}' is not one of {string.Join(", ", Programmes.Programme.Units)}");
            if (x.Pledged <= 0) v.Fail($"{at}.pledged", "the pledged quantity must be more than zero");
            // The ledger keeps the measure's own pledge: the two cannot disagree.
            if (d.Measures.FirstOrDefault(m => m.Id == x.Measure) is { } measure && (measure.Amount != x.Pledged || measure.Unit != x.Unit))
                v.Fail($"{at}.pledged", $"{x.Pledged} {x.Unit} differs from measure '{measure.Id}' ({measure.Amount} {measure.Unit})");
            v.Ref($"{at}.pledgedBy", x.PledgedBy, states, "member state", required: true);
            v.Ref($"{at}.meeting", x.Meeting, meetings, "meeting");
            v.Ref($"{at}.body", x.Body, bodies, "body");
            v.Date($"{at}.announcedOn", x.AnnouncedOn);
            DateOnly? from = null, to = null;
            if (x.Period?.From is { } f) { if (DateOnly.TryParseExact(f, "yyyy-MM-dd", out var day)) from = day; else v.Fail($"{at}.period.from", $"'{f}' is not a day (YYYY-MM-DD)"); }
            if (x.Period?.To is { } t) { if (DateOnly.TryParseExact(t, "yyyy-MM-dd", out var day)) to = day; else v.Fail($"{at}.period.to", $"'{t}' is not a day (YYYY-MM-DD)"); }
            if (from > to) v.Fail($"{at}.period", $"the period ends ({to:yyyy-MM-dd}) before it begins ({from:yyyy-MM-dd})");
            if (x.Period is not null && x.PeriodNote is null) v.Fail($"{at}.periodNote", "say how the period was read from the sources");
            v.Translated($"{at}.translated", x.Translated);
            Cited(at, x);
        }
        var partnerships = v.Ids("$.partnerships", d.Partnerships, x => x.Id);
        _ = partnerships;
        for (var i = 0; i < d.Partnerships.Count; i++)
        {
            var x = d.Partnerships[i]; var at = $"$.partnerships[{i}]";
            var (a, b, idError) = Partnerships.PartnershipRules.StatesOf(x.Id ?? "");
            if (idError is not null) v.Fail($"{at}.id", $"'{x.Id}' must begin with the two member states' codes, e.g. tj-cn-luban-workshop-dushanbe ({idError})");
            v.Enum<Partnerships.PartnershipKind>($"{at}.kind", x.Kind);
            v.Enum<Partnerships.PartnershipStatus>($"{at}.status", x.Status);
            v.Ref($"{at}.document", x.Document, documents, "document");
            foreach (var (field, value) in new[] { ("agreedOn", x.AgreedOn), ("startedOn", x.StartedOn), ("endedOn", x.EndedOn) }) v.Date($"{at}.{field}", value);
            v.Translated($"{at}.translated", x.Translated);
            Cited(at, x);
            if (idError is null && SeedEnums.TryParse<Partnerships.PartnershipKind>(x.Kind, out var kind) && SeedEnums.TryParse<Partnerships.PartnershipStatus>(x.Status, out var status)
                && new[] { x.AgreedOn, x.StartedOn, x.EndedOn }.All(t => t is null || PartialDate.TryParse(t, out _)))
            {
                var entity = ToPartnership(x, a, b, kind, status);
                // The dataset states facts as of its date, so no date of it is "in the future".
                foreach (var problem in Partnerships.PartnershipRules.Problems(entity, DateOnly.MaxValue))
                    v.Fail($"{at}.{SeedField(problem.Field)}", $"{problem.Code}{(problem.Detail is null ? "" : $" ({problem.Detail})")}");
                var earlier = d.Partnerships.Take(i).Where(o => o.Id != x.Id && Partnerships.PartnershipRules.StatesOf(o.Id ?? "").Error is null
                    && SeedEnums.TryParse<Partnerships.PartnershipKind>(o.Kind, out _) && SeedEnums.TryParse<Partnerships.PartnershipStatus>(o.Status, out _))
                    .Select(o => { var (oa, ob, _) = Partnerships.PartnershipRules.StatesOf(o.Id); return ToPartnership(o, oa, ob, SeedEnums.Parse<Partnerships.PartnershipKind>(o.Kind), SeedEnums.Parse<Partnerships.PartnershipStatus>(o.Status)); });
                if (Partnerships.PartnershipRules.DuplicateOf(entity, earlier) is { } duplicate) v.Fail(at, $"repeats the partnership '{duplicate.Id}'");
            }
        }

        // A retraction names a record no current list holds (else it would be deleted and re-added at each load),
        // the version that withdrew it, and why, with sources.
        var current = new Dictionary<string, HashSet<string>>
        {
            [SeedRetractions.Commitment] = [.. d.Commitments.Select(c => c.Id)],
            [SeedRetractions.Assessment] = [.. d.Commitments.SelectMany(c => c.Assessments.Select(a => Commitments.ComplianceAssessment.KeyOf(c.Id, a.State, a.Period)))],
            [SeedRetractions.Partnership] = [.. d.Partnerships.Select(p => p.Id)],
        };
        var retracted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Retractions.Count; i++)
        {
            var x = d.Retractions[i]; var at = $"$.retractions[{i}]";
            if (!SeedRetractions.Kinds.Contains(x.Kind ?? "")) v.Fail($"{at}.kind", $"'{x.Kind}' is not one of {string.Join(", ", SeedRetractions.Kinds)}");
            else if (string.IsNullOrWhiteSpace(x.Id)) v.Fail($"{at}.id", "a retraction names the record's id");
            else
            {
                if (current[x.Kind!].Contains(x.Id)) v.Fail($"{at}.id", $"the {x.Kind} '{x.Id}' is still listed in this version: a retracted record is listed nowhere else");
                if (!retracted.Add(SeedRetraction.KeyOf(x.Kind!, x.Id))) v.Fail($"{at}.id", $"the {x.Kind} '{x.Id}' is retracted twice");
                if (x.Kind == SeedRetractions.Assessment && x.Id.Split(':') is not [{ Length: > 0 }, { Length: > 0 }, { Length: > 0 }])
                    v.Fail($"{at}.id", $"'{x.Id}' is not an assessment id (commitment:state:period)");
            }
            if (x.Version < 2 || x.Version > d.Version) v.Fail($"{at}.version", $"the version that retracted it: from 2 to this file's version ({d.Version})");
            if (x.Reason is null || LocalizedText.Languages.Any(l => string.IsNullOrWhiteSpace(x.Reason[l])))
                v.Fail($"{at}.reason", "a retraction says why, in en, zh and ru");
            v.Translated($"{at}.translated", x.Translated);
            Cited(at, x);
        }
        return v.Problems;
    }

    private static Partnerships.Partnership ToPartnership(SeedPartnership x, string a, string b, Partnerships.PartnershipKind kind, Partnerships.PartnershipStatus status) => new()
    {
        Id = x.Id, StateA = a, StateB = b, Kind = kind, Status = status, Name = x.Name,
        PlaceA = x.PlaceA, LatitudeA = x.LatitudeA, LongitudeA = x.LongitudeA, PlaceB = x.PlaceB, LatitudeB = x.LatitudeB, LongitudeB = x.LongitudeB,
        Institution = x.Institution, PartnerInstitution = x.PartnerInstitution, Terms = x.Terms, Agreement = x.Agreement, DocumentId = x.Document,
        AgreedOn = x.AgreedOn is null ? null : PartialDate.Parse(x.AgreedOn), StartedOn = x.StartedOn is null ? null : PartialDate.Parse(x.StartedOn),
        EndedOn = x.EndedOn is null ? null : PartialDate.Parse(x.EndedOn), Note = x.Note,
    };

    /// <summary>A record field (<c>place-a.en</c>, <c>latitude-b</c>) as the data file names it (<c>placeA</c>, <c>latitudeB</c>).</summary>
    private static string SeedField(string field)
    {
        var name = field.Split('.')[0];
        var parts = name.Split('-');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private sealed class Checker
    {
        public List<SeedProblem> Problems { get; } = [];

        public void Fail(string path, string reason) => Problems.Add(new SeedProblem(0, path, reason));

        public HashSet<string> Ids<T>(string list, List<T> rows, Func<T, string> id, Func<string, bool>? valid = null, string? expected = null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < rows.Count; i++)
            {
                var value = id(rows[i]);
                if (string.IsNullOrEmpty(value) || !(valid?.Invoke(value) ?? Slug().IsMatch(value)))
                    Fail($"{list}[{i}].id", $"'{value}' is not a valid id ({expected ?? "lower-case words joined by hyphens, e.g. astana-declaration-2025"})");
                else if (!seen.Add(value)) Fail($"{list}[{i}].id", $"the id '{value}' is used twice");
            }
            return seen;
        }

        public void Ref(string path, string? value, HashSet<string> known, string what, bool required = false)
        {
            if (value is null) { if (required) Fail(path, $"a {what} is required"); return; }
            if (!known.Contains(value)) Fail(path, $"unknown {what} '{value}'");
        }

        public void Date(string path, string? value)
        {
            if (value is not null && !PartialDate.TryParse(value, out _))
                Fail(path, $"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
        }

        public void Text(string path, LocalizedText? text, bool required)
        {
            if (text is null || text.IsEmpty) { if (required) Fail(path, "a text in at least one of en, zh, ru is required"); }
        }

        public void Translated(string path, List<string> languages)
        {
            foreach (var language in languages)
                if (!LocalizedText.Languages.Contains(language)) Fail(path, $"'{language}' is not en, zh or ru");
        }

        public void Enum<T>(string path, string? value) where T : struct, System.Enum
        {
            if (!SeedEnums.TryParse<T>(value, out _))
                Fail(path, $"'{value}' is not one of {string.Join(", ", System.Enum.GetValues<T>().Select(SeedEnums.ToKebab))}");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")] private static partial Regex Slug();
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")] private static partial Regex SourceId();
    [GeneratedRegex("^[a-z]{2,3}$")] private static partial Regex LanguageCode();
    [GeneratedRegex("^[A-Z]{3}$")] private static partial Regex CurrencyCode();
}

/// <summary>Enums written in kebab case in the data file and the API: <c>ministerial-platform</c>.</summary>
public static partial class SeedEnums
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && KebabWord().IsMatch(text) && Enum.TryParse(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out value);
    }

    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(T).Name}");

    public static string ToKebab<T>(T value) where T : struct, Enum => ToKebab(value.ToString());

    public static string ToKebab(string pascal) => UpperInside().Replace(pascal, "-$1").ToLowerInvariant();

    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")] private static partial Regex KebabWord();
    [GeneratedRegex("(?<!^)([A-Z])")] private static partial Regex UpperInside();
}

/// <summary>A registry count a reported figure is compared with: <c>documents:{meeting}:{scope}</c> or <c>bodies:{kind}</c>.</summary>
public sealed record RegistryCount(string Kind, string? MeetingId, DocumentScope? Scope, BodyKind? BodyKind)
{
    public static RegistryCount? TryParse(string text)
    {
        var parts = text.Split(':');
        return parts switch
        {
            ["documents", var meeting, var scope] when SeedEnums.TryParse<DocumentScope>(scope, out var s) => new RegistryCount("documents", meeting, s, null),
            ["bodies", var kind] when SeedEnums.TryParse<BodyKind>(kind, out var k) => new RegistryCount("bodies", null, null, k),
            _ => null,
        };
    }
}
