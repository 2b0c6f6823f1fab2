using Caravan.Data;
using Caravan.Features.Commitments;
using Caravan.Features.Mechanism;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Features.Treaties;
using Caravan.Web.Infrastructure;
using static Caravan.Web.Features.Shared.ApiDates;

namespace Caravan.Web.Features.Commitments;

public sealed record RubricDto(LocalizedText? Minus, LocalizedText? Zero, LocalizedText? Plus);
public sealed record AssessmentDto(string State, string Period, int Score, LocalizedText Evidence, string? EvidenceUrl,
    string? AssessedOn, IReadOnlyList<SourceDto> Sources);
public sealed record CommitmentDto(string Id, LocalizedText Text, bool TextIsSummary, IReadOnlyList<string> Translated,
    string? Document, string? Provision, string? Meeting, string? Measure,
    IReadOnlyList<string> Parties, IReadOnlyList<string> LeadBodies, IReadOnlyList<string> SupportingBodies,
    string? Direction, CommitmentKind Kind, LocalizedText? Target, string? Indicator, string? Deadline,
    string? ActiveOnceInForce, string FirstPeriod, string? CarriedOverFrom, string? SupersededBy,
    string? MergedInto, bool Cancelled, CombineRule Combine, RubricDto Rubric, double? Collective,
    string? CollectivePeriod, CommitmentStatus Status, Freshness Freshness, LocalizedText? Note,
    IReadOnlyList<AssessmentDto> Assessments, IReadOnlyList<SourceDto> Sources,
    // How many of the parties bound are scored in the collective period ("k of n parties assessed"); 0 of n when none.
    int PartiesAssessed, int PartiesBound,
    // Milestones past due and not achieved: any makes the freshness light overdue (see the timeline for which).
    int OverdueMilestones);
public sealed record RollUpDto(double Mean, double Percent, int Scores);
public sealed record PeriodDto2(string Id, LocalizedText Name, string From, string? To, string? ClosesAt, bool Closed);
public sealed record ScorecardDto(PeriodDto2 Period, RollUpDto Overall, IReadOnlyDictionary<string, RollUpDto> ByState,
    IReadOnlyDictionary<string, RollUpDto> ByDirection, IReadOnlyDictionary<string, RollUpDto> ByBody, int Commitments,
    int Scores);

public sealed record MilestoneDto(string Id, string? State, LocalizedText Title, string? Due, string? AchievedOn,
    bool Cancelled, MilestoneStatus Status, bool AchievedLate, LocalizedText? Evidence, string? EvidenceUrl,
    LocalizedText? Note);
public sealed record TimelineScoreDto(string State, int Score, LocalizedText Evidence, string? EvidenceUrl,
    string? AssessedOn, IReadOnlyList<SourceDto> Sources);
public sealed record TimelinePeriodDto(string Id, LocalizedText Name);
/// <summary>A published change: <c>record</c> is <c>commitment</c> or <c>milestone</c>; <c>action</c> is
/// <c>create</c>, <c>update</c>, <c>delete</c> or <c>sources</c> (only its sources changed).</summary>
public sealed record TimelineChangeDto(string Record, string Id, LocalizedText? Title, string Action, string Role,
    string At);
/// <summary>
/// One line of the timeline: <c>kind</c> milestone, scores or change; <c>date</c> its day (partial ISO for a
/// milestone or a period's scores, the day of a change); the part its kind fills; and its sources (a change: those its
/// record stood on right after it; scores: each score's own).
/// </summary>
public sealed record TimelineItemDto(TimelineItemKind Kind, string Date, string? At, MilestoneDto? Milestone,
    TimelinePeriodDto? Period, IReadOnlyList<TimelineScoreDto>? Scores, TimelineChangeDto? Change,
    IReadOnlyList<SourceDto> Sources);
public sealed record TimelineDto(string Commitment, string Order, string Today, int OverdueMilestones,
    IReadOnlyList<TimelineItemDto> Items);

/// <summary>/api/v1/commitments (the explorer's filters) and /api/v1/scorecards (roll-ups per period).</summary>
public static class CommitmentsApi
{
    public static readonly string[] Statuses = [.. Enum.GetValues<CommitmentStatus>()
        .Select(s => SeedEnums.ToKebab(s))];
    public static readonly string[] Freshnesses = [.. Enum.GetValues<Freshness>().Select(s => SeedEnums.ToKebab(s))];

    public static void MapCommitmentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Commitments");
        api.MapGet("/commitments", async (HttpContext http, CommitmentQueries commitments, CitationQueries citations,
            TimeProvider clock, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["state", "direction", "body", "document", "status", "freshness"],
                ["id", "deadline"], "id");
            var filter = Filter(query);
            if (!query.IsValid) return query.Problem();
            var list = await commitments.ListAsync(filter, TreatiesApi.Today(clock), ct);
            var sorted = query.SortField == "deadline"
                ? list.OrderBy(v => v.Commitment.Deadline?.ToIso() ?? "9999").ToList()
                : list;
            if (query.Descending) sorted.Reverse();
            var page = query.Paginate(sorted);
            var sources = await SourcesAsync(citations, page.Items, ct);
            return Results.Ok(new Page<CommitmentDto>([.. page.Items.Select(v => ToDto(v, sources))], page.PageNumber,
                page.PageSize, page.Total));
        }).WithName("ListCommitments")
            .WithSummary("Commitments; filter by state, direction, body (lead or supporting), document, status " +
                "(complied, partly, not-complied, not-assessed, cancelled), freshness (updated, due, overdue, " +
                "inactive, not-yet-active)")
          .Produces<Page<CommitmentDto>>().ProducesValidationProblem();

        api.MapGet("/commitments/{id}", async (string id, HttpContext http, CommitmentQueries commitments,
            CitationQueries citations, TimeProvider clock, CancellationToken ct) =>
        {
            if (await commitments.GetAsync(id, TreatiesApi.Today(clock), ct) is not { } view) return Api.NotFound(http);
            return Results.Ok(ToDto(view, await SourcesAsync(citations, [view], ct)));
        }).WithName("GetCommitment")
            .WithSummary("A commitment with its rubric, every party's score per period with evidence, and its " +
                "collective status")
          .Produces<CommitmentDto>().ProducesProblem(404);

        api.MapGet("/commitments/{id}/timeline", async (string id, HttpContext http, CaravanDbContext db,
            TimeProvider clock, CancellationToken ct) =>
        {
            var today = TreatiesApi.Today(clock);
            if (await CommitmentTimeline.BuildAsync(db, id, today, ct) is not { } items) return Api.NotFound(http);
            return Results.Ok(ToDto(id, today, items));
        }).WithName("GetCommitmentTimeline")
            .WithSummary("A commitment's timeline, newest first: its milestones (planned, overdue, achieved, " +
                "cancelled), its scores per reporting period and every published change of it and its milestones, " +
                "each with its sources and date")
          .Produces<TimelineDto>().ProducesProblem(404);

        api.MapGet("/scorecards", async (HttpContext http, CommitmentQueries commitments, TimeProvider clock,
            CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["period"], ["id"], "id");
            var period = query.Text("period");
            if (!query.IsValid) return query.Problem();
            // Cached per data version and query, as the other reads: a roll-up over 60,000 scores is done once per
            // change.
            return await Api.CachedJson(http, async () => await commitments.ScorecardAsync(period,
                TreatiesApi.Today(clock), ct) is { } card ? ToDto(card) : null);
        }).WithTags("Scorecards").WithName("GetScorecard")
            .WithSummary("Compliance roll-ups of a period (default: the current one): mean score and percentage " +
                "((mean + 1) / 2 × 100) overall, by state, by direction and by lead body; cancelled commitments " +
                "excluded")
          .Produces<ScorecardDto>().ProducesValidationProblem().ProducesProblem(404);
    }

    public static CommitmentFilter Filter(ListQuery query) => new(
        query.OneOf("state", MemberState.Codes), query.Text("direction"), query.Text("body"), query.Text("document"),
        query.OneOf("status", Statuses) is { } s ? SeedEnums.Parse<CommitmentStatus>(s) : null,
        query.OneOf("freshness", Freshnesses) is { } f ? SeedEnums.Parse<Freshness>(f) : null);

    private static async Task<(IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Commitments,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Assessments)> SourcesAsync(
        CitationQueries citations, IReadOnlyList<CommitmentView> views, CancellationToken ct) =>
        (await citations.ForAsync(SubjectTypes.Commitment, views.Select(v => v.Commitment.Id), ct),
         await citations.ForAsync(SubjectTypes.Assessment, views.SelectMany(v => v.Assessments.Select(a => a.Id)), ct));

    private static CommitmentDto ToDto(CommitmentView v,
        (IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Commitments,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Assessments) sources)
    {
        var c = v.Commitment;
        return new(c.Id, c.Text, c.TextIsSummary, c.Translated, c.DocumentId, c.ProvisionRef, c.MeetingId, c.MeasureId,
            c.Parties, c.LeadBodies, c.SupportingBodies, c.DirectionId, c.Kind,
            c.Target, c.IndicatorId, Iso(c.Deadline), c.ActiveOnceInForceId, c.FirstPeriodId, c.CarriedOverFromId,
            c.SupersededById, c.MergedIntoId, c.Cancelled, c.Combine, new RubricDto(c.RubricMinus, c.RubricZero,
                c.RubricPlus), v.Collective, v.CollectivePeriodId, v.Status, v.Freshness, c.Note,
            [.. v.Assessments.OrderBy(a => a.PeriodId, StringComparer.Ordinal)
                .ThenBy(a => a.StateId, StringComparer.Ordinal)
                .Select(a => new AssessmentDto(a.StateId, a.PeriodId, a.Score, a.Evidence, a.EvidenceUrl,
                    Iso(a.AssessedOn), SourceDto.From(sources.Assessments, a.Id)))],
            SourceDto.From(sources.Commitments, c.Id), v.PartiesAssessed, v.PartiesBound, v.OverdueMilestones);
    }

    public static MilestoneDto ToDto(MilestoneView v)
    {
        var m = v.Milestone;
        return new(m.Id, m.StateId, m.Title, Iso(m.Due), Iso(m.AchievedOn), m.Cancelled, v.Status, v.AchievedLate,
            m.Evidence, m.EvidenceUrl, m.Note);
    }

    private static TimelineDto ToDto(string id, DateOnly today, List<TimelineItem> items) => new(id, "newest-first",
        today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        items.Count(i => i.Milestone?.Status == MilestoneStatus.Overdue),
        [.. items.Select(i => new TimelineItemDto(i.Kind,
            i.Date?.ToIso() ?? i.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            i.At?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            i.Milestone is { } m ? ToDto(m) : null,
            i.Period is { } p ? new TimelinePeriodDto(p.Id, p.Name) : null,
            i.Kind == TimelineItemKind.Scores
                ? [.. i.Scores.Select(s => new TimelineScoreDto(s.Assessment.StateId, s.Assessment.Score,
                    s.Assessment.Evidence, s.Assessment.EvidenceUrl, Iso(s.Assessment.AssessedOn),
                    [.. s.Sources.Select(SourceDto.From)]))]
                : null,
            i.Change is { } c ? new TimelineChangeDto(c.SubjectType, c.SubjectId, c.MilestoneTitle, c.Action, c.Role,
                c.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))
                : null,
            [.. i.Sources.Select(SourceDto.From)]))]);

    private static ScorecardDto ToDto(Scorecard s)
    {
        static RollUpDto R(RollUp r) => new(Math.Round(r.Mean, 4), Math.Round(r.Percent, 1), r.Count);
        return new(new PeriodDto2(s.Period.Id, s.Period.Name, s.Period.From.ToIso(), Iso(s.Period.To),
            s.Period.ClosesAtMeetingId, s.Period.Closed),
            R(s.Overall), s.ByState.ToDictionary(kv => kv.Key, kv => R(kv.Value)),
            s.ByDirection.ToDictionary(kv => kv.Key, kv => R(kv.Value)),
            s.ByBody.ToDictionary(kv => kv.Key, kv => R(kv.Value)), s.Commitments, s.Scores);
    }
}
