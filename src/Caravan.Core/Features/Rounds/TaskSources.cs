using Caravan.Data;
using Caravan.Features.Commitments;
using Caravan.Features.Indicators;
using Caravan.Features.Programmes;
using Caravan.Features.Treaties;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Rounds;

/// <summary>
/// Each bound party's score on each commitment active in the period (<see cref="RoundRules.ActiveIn"/>): proposed by
/// the party's coordinator or the lead body's officer, done once the period's assessment is published.
/// </summary>
public sealed class AssessmentTasks : RoundTaskSource
{
    public const string Name = "assessment";
    public override string Kind => Name;
    public override int Order => 1;

    public override async Task<IReadOnlyList<RoundTask>> TasksAsync(CaravanDbContext db, RoundPeriod period,
        CancellationToken ct)
    {
        var commitments = await db.Commitments.AsNoTracking().ToListAsync(ct);
        // A treaty in force by the period's last day switches its commitments on for the period.
        var inForce = (await new TreatyQueries(db).ListAsync(period.LastDay, ct))
            .Where(t => t.Evaluation.Status == TreatyStatus.InForce).Select(t => t.Document.Id).ToHashSet();
        var assessed = (await db.Assessments.AsNoTracking().Where(a => a.PeriodId == period.Period.Id)
            .Select(a => a.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        return Derive(period, commitments, inForce, assessed);
    }

    public static List<RoundTask> Derive(RoundPeriod p, IEnumerable<Commitment> commitments,
        IReadOnlySet<string> treatiesInForce, IReadOnlySet<string> assessedIds)
    {
        var order = p.Periods.ToDictionary(x => x.Id, x => x.Order, StringComparer.Ordinal);
        return
        [
            .. commitments.Where(c => RoundRules.ActiveIn(c, p.Period, order, treatiesInForce))
                .OrderBy(c => c.Id, StringComparer.Ordinal)
                .SelectMany(c => c.Parties.Order(StringComparer.Ordinal).Select(state =>
                {
                    var id = ComplianceAssessment.KeyOf(c.Id, state, p.Period.Id);
                    var done = assessedIds.Contains(id);
                    return new RoundTask(Name, $"{Name}:{id}", c.Text, null, state, c.LeadBodies, "assessments", id,
                        false, done, done ? $"/work/assessments/{Uri.EscapeDataString(id)}"
                            : $"/work/assessments/new?id={Uri.EscapeDataString(id)}");
                })),
        ];
    }
}

/// <summary>
/// The yearly figures of the indicators reported year by year. Indicators are annual (a value per year, per state or
/// for the whole mechanism); a series recurs when it has values for two years or more, and then owes each year that
/// ended within the period before the due date (<see cref="RoundRules.YearsDue"/>). A one-off figure (a count quoted
/// once) is not asked for again.
/// </summary>
public sealed class IndicatorValueTasks : RoundTaskSource
{
    public const string Name = "indicator-value";
    public override string Kind => Name;
    public override int Order => 2;

    public sealed record Series(string IndicatorId, LocalizedText Name, string? StateId,
        IReadOnlyCollection<int> Years);

    public override async Task<IReadOnlyList<RoundTask>> TasksAsync(CaravanDbContext db, RoundPeriod period,
        CancellationToken ct)
    {
        var names = await db.Indicators.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Name, ct);
        var values = await db.IndicatorValues.AsNoTracking().Select(v => new { v.IndicatorId, v.StateId, v.Year })
            .ToListAsync(ct);
        var series = values.GroupBy(v => (v.IndicatorId, v.StateId))
            .Select(g => new Series(g.Key.IndicatorId, names[g.Key.IndicatorId], g.Key.StateId,
                [.. g.Select(v => v.Year).Distinct()]));
        return Derive(period, series);
    }

    public static List<RoundTask> Derive(RoundPeriod p, IEnumerable<Series> series)
    {
        var years = RoundRules.YearsDue(p);
        return
        [
            .. series.Where(s => s.Years.Count >= 2)
                .OrderBy(s => s.IndicatorId, StringComparer.Ordinal)
                .ThenBy(s => s.StateId ?? "", StringComparer.Ordinal)
                .SelectMany(s => years.Select(year =>
                {
                    var id = IndicatorValue.KeyOf(s.IndicatorId, year, s.StateId);
                    var done = s.Years.Contains(year);
                    return new RoundTask(Name, $"{Name}:{id}", s.Name, year, s.StateId, [], "indicator-values", id,
                        false, done, done ? $"/work/indicator-values/{Uri.EscapeDataString(id)}"
                            : $"/work/indicator-values/new?id={Uri.EscapeDataString(id)}");
                })),
        ];
    }
}

/// <summary>
/// A programme's ledger, per state it allocated to: the state's use of its allocation (committed, disbursed, offered,
/// filled, completed) during the period, recorded by the programme's body's officer or the state's coordinator. Asked
/// for programmes whose entry window overlaps the period; done once such an entry dated in the period is published.
/// </summary>
public sealed class ProgrammeEntryTasks : RoundTaskSource
{
    public const string Name = "programme-entries";
    public override string Kind => Name;
    public override int Order => 3;

    public sealed record Entry(string ProgrammeId, string StateId, LedgerEntryKind Kind, DateOnly On);

    public override async Task<IReadOnlyList<RoundTask>> TasksAsync(CaravanDbContext db, RoundPeriod period,
        CancellationToken ct)
    {
        var programmes = await db.Programmes.AsNoTracking().ToListAsync(ct);
        var entries = await db.ProgrammeEntries.AsNoTracking()
            .Select(e => new Entry(e.ProgrammeId, e.StateId, e.Kind, e.On)).ToListAsync(ct);
        return Derive(period, programmes, entries);
    }

    public static List<RoundTask> Derive(RoundPeriod p, IEnumerable<Programme> programmes, IEnumerable<Entry> entries)
    {
        var from = p.Period.From.Earliest;
        var last = p.LastDay;
        var byProgramme = entries.ToLookup(e => e.ProgrammeId, StringComparer.Ordinal);
        return
        [
            .. programmes.Where(g => g.EntryWindow.From <= last && g.EntryWindow.To >= from)
                .OrderBy(g => g.Id, StringComparer.Ordinal)
                .SelectMany(g => byProgramme[g.Id].Where(e => e.Kind == LedgerEntryKind.Allocation)
                    .Select(e => e.StateId).Distinct().Order(StringComparer.Ordinal).Select(state =>
                    {
                        var done = byProgramme[g.Id].Any(e => e.StateId == state
                            && e.Kind != LedgerEntryKind.Allocation && e.On >= from && e.On <= last);
                        var prefix = ProgrammeEntry.KeyOf(g.Id, state, "");
                        return new RoundTask(Name, $"{Name}:{g.Id}:{state}:{p.Period.Id}", g.Name, null, state,
                            g.BodyId is null ? [] : [g.BodyId], ProgrammeEntry.RecordKind, prefix, true, done,
                            $"/programmes/{Uri.EscapeDataString(g.Id)}");
                    })),
        ];
    }
}

/// <summary>
/// A commitment's milestones falling due in the period (their due date's last day between the period's start and its
/// last day): the state concerned (or, for a milestone of all parties, the commitment's bodies) says whether it was
/// achieved, with evidence, or cancelled; done once the published milestone says either.
/// </summary>
public sealed class MilestoneTasks : RoundTaskSource
{
    public const string Name = "milestone";
    public override string Kind => Name;
    public override int Order => 4;

    public override async Task<IReadOnlyList<RoundTask>> TasksAsync(CaravanDbContext db, RoundPeriod period,
        CancellationToken ct)
    {
        var milestones = await db.Milestones.AsNoTracking().Where(m => m.Due != null).ToListAsync(ct);
        var bodies = await db.Commitments.AsNoTracking()
            .ToDictionaryAsync(c => c.Id, c => (IReadOnlyList<string>)c.LeadBodies, ct);
        return Derive(period, milestones, bodies);
    }

    public static List<RoundTask> Derive(RoundPeriod p, IEnumerable<Milestone> milestones,
        IReadOnlyDictionary<string, IReadOnlyList<string>> leadBodies)
    {
        var from = p.Period.From.Earliest;
        return
        [
            .. milestones.Where(m => m.Due is { } due && due.Latest >= from && due.Latest <= p.LastDay)
                .OrderBy(m => m.Due!.Value.Latest).ThenBy(m => m.Id, StringComparer.Ordinal)
                .Select(m =>
                {
                    var done = m.AchievedOn is not null || m.Cancelled;
                    return new RoundTask(Name, $"{Name}:{m.Id}", m.Title, null, m.StateId,
                        leadBodies.GetValueOrDefault(m.CommitmentId, []), "milestones", m.Id, false, done,
                        $"/work/milestones/{Uri.EscapeDataString(m.Id)}");
                }),
        ];
    }
}
