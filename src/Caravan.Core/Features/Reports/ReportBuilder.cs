using System.Globalization;
using Caravan.Features.Commitments;
using Caravan.Features.Seed;
using Caravan.Shared;

namespace Caravan.Features.Reports;

/// <summary>
/// Writes the summit progress report's content from a snapshot's facts, in one language, with the portal's words
/// (<paramref name="words"/>: a UI string's key to its text in that language). Plain C#, no database: the same facts,
/// language, currency and words always give the same document. A figure carries only the sources that give it; an
/// unknown figure stays empty, never zero.
/// </summary>
public sealed class ReportBuilder(ReportFacts facts, string language, string currency, Func<string, string> words)
{
    /// <summary>The report's parts in order, by heading anchor: what the tests and the writers can rely on.</summary>
    public static readonly IReadOnlyList<string> Parts =
        ["key-figures", "directions", "states", "treaties", "programmes", "partnerships", "projects", "changes",
            "annex"];

    private readonly CultureInfo _culture = CultureInfo.GetCultureInfo(language);
    private readonly List<ReportBlock> _blocks = [];
    private readonly Dictionary<string, FactSource> _sources = facts.Sources.ToDictionary(s => s.Id, StringComparer.Ordinal);

    // Each source's number: its row in the sources annex.
    private readonly Dictionary<string, int> _number = facts.Sources.Select((s, i) => (s.Id, i))
        .ToDictionary(x => x.Id, x => x.i + 1, StringComparer.Ordinal);

    public static ReportDocument Build(ReportFacts facts, string language, string currency, Func<string, string> words,
        string? draftMark = null) => new ReportBuilder(facts, language, currency, words).Build(draftMark);

    private ReportDocument Build(string? draftMark)
    {
        var asAt = facts.Meeting?.Name is { } meeting ? Name(meeting) : Name(facts.PeriodName);
        if (draftMark is not null) _blocks.Add(new ReportParagraph(draftMark, ReportParagraphStyle.Lead));
        _blocks.Add(new ReportParagraph(Words("report.cover.period", Name(facts.PeriodName)), ReportParagraphStyle.Lead));
        _blocks.Add(new ReportParagraph(Words("report.cover.snapshot", Day(facts.SnapshotOn))));
        if (facts.FactsOn != facts.SnapshotOn)
            _blocks.Add(new ReportParagraph(Words("report.cover.facts-on", Day(facts.FactsOn)), ReportParagraphStyle.Note));
        _blocks.Add(new ReportParagraph(Words("report.cover.published-only"), ReportParagraphStyle.Note));
        _blocks.Add(new ReportParagraph(Words("report.cover.references"), ReportParagraphStyle.Note));
        _blocks.Add(new ReportContents());
        _blocks.Add(new ReportPageBreak());
        KeyFigures();
        Directions();
        States();
        Treaties();
        Programmes();
        Partnerships();
        Projects();
        Changes();
        Annex();
        return new ReportDocument
        {
            Language = language,
            Title = Words("report.title", asAt),
            Subtitle = facts.Meeting?.Date is { } date ? Date(date) : null,
            SnapshotId = facts.SnapshotId,
            AsAt = facts.SnapshotOn,
            DraftMark = draftMark,
            Labels = new ReportLabels(Words("report.label.contents"), Words("report.label.page-of"),
                Words("report.label.table"), Words("report.label.figure"), Words("report.label.sources"),
                Words("report.label.no-rows"), Words("report.label.update-contents")),
            Blocks = _blocks,
        };
    }

    // ---- Parts ----

    private IEnumerable<FactCommitment> Counted => facts.Commitments.Where(c => c.Counts);

    private void KeyFigures()
    {
        Part("key-figures", "report.part.key-figures");
        var counted = Counted.ToList();
        var assessed = counted.Where(c => c.Collective is not null).ToList();
        var late = counted.Where(c => c.LateOn(facts.SnapshotOn)).ToList();
        var inForce = facts.Treaties.Where(t => t.Status == Caravan.Features.Treaties.TreatyStatus.InForce).ToList();
        var money = MoneyFacts();
        var pairs = facts.Partnerships.Years.LastOrDefault(y => y.Reported is not null);
        List<ReportFigure> figures =
        [
            Figure("report.figure.commitments", counted.Count, Of(counted.SelectMany(c => c.Sources))),
            Figure("report.figure.assessed", assessed.Count, AssessmentSources(assessed)),
            Figure("report.figure.complied", counted.Count(c => c.Status == CommitmentStatus.Complied),
                AssessmentSources(counted.Where(c => c.Status == CommitmentStatus.Complied))),
            new(Words("report.figure.progress"), assessed.Count == 0 ? "" : Percent(Progress(assessed)!.Value),
                assessed.Count == 0 ? null : Round4(Progress(assessed)!.Value), AssessmentSources(assessed)),
            Figure("report.figure.late", late.Count, Of(late.SelectMany(c => c.Sources))),
            Figure("report.figure.treaties-in-force", inForce.Count, Of(inForce.SelectMany(t => t.Sources))),
            new(Words("report.figure.pairs-reported",
                pairs?.Year.ToString(CultureInfo.InvariantCulture) ?? Words("report.unknown")),
                pairs?.Reported is { } r ? Integer(r) : "", pairs?.Reported, Of(pairs?.Sources ?? [])),
            // No published project transaction at all is "none recorded", not a total of zero.
            money is { Transactions: > 0 }
                ? new(Words("report.figure.projects-money", currency), Money(money.Total), money.Total, MoneySources(money))
                : new(Words("report.figure.projects-money", currency),
                    money is null ? "" : Words("report.label.no-rows"), null, money is null ? [] : [Words("report.source.iati")]),
        ];
        _blocks.Add(new ReportFigures(figures));
        _blocks.Add(new ReportParagraph(Words("report.note.progress"), ReportParagraphStyle.Note));
    }

    private void Directions()
    {
        Part("directions", "report.part.directions");
        var statuses = Enum.GetValues<CommitmentStatus>();
        // Every one of the six directions, also one with nothing recorded yet (a zero is a finding); "no direction" only
        // when some commitment has none.
        var rows = facts.Directions.Select(d => (Name: Name(d.Name), List: Counted.Where(c => c.DirectionId == d.Id).ToList()))
            .Append((Name: Words("report.no-direction"),
                List: Counted.Where(c => c.DirectionId is null || facts.Directions.All(d => d.Id != c.DirectionId)).ToList()))
            .Where((r, i) => i < facts.Directions.Count || r.List.Count > 0).ToList();
        var table = new ReportTable("directions-status", Words("report.table.directions-status"),
            [Column("direction", "report.col.direction"), Column("commitments", "report.col.commitments", ReportCellKind.Integer),
                .. statuses.Select(s => new ReportColumn(SeedEnums.ToKebab(s), Status(s), ReportCellKind.Integer)),
                Column("progress", "report.col.progress", ReportCellKind.Percent),
                Column("late", "report.col.late", ReportCellKind.Integer),
                Column("milestones-achieved", "report.col.milestones-achieved", ReportCellKind.Integer),
                Column("milestones-overdue", "report.col.milestones-overdue", ReportCellKind.Integer)],
            [.. rows.Select(r => (IReadOnlyList<ReportCell>)[
                Text(r.Name), Int(r.List.Count), .. statuses.Select(s => Int(r.List.Count(c => c.Status == s))),
                PercentCell(Progress(r.List)), Int(r.List.Count(c => c.LateOn(facts.SnapshotOn))),
                Int(MilestonesOf(r.List).Count(m => m.Status == MilestoneStatus.Achieved)),
                Int(MilestonesOf(r.List).Count(m => m.Status == MilestoneStatus.Overdue))])],
            AssessmentSources(rows.SelectMany(r => r.List)));
        _blocks.Add(new ReportChart("directions-status-chart", Words("report.chart.directions-status"),
            ReportChartKind.StackedBar, [.. rows.Select(r => r.Name)],
            [.. statuses.Select(s => new ReportSeries(Status(s),
                [.. rows.Select(r => (double?)r.List.Count(c => c.Status == s))]))],
            table.Id, Words("report.col.commitments")));
        _blocks.Add(table);

        foreach (var d in facts.Directions)
        {
            var list = facts.Commitments.Where(c => c.DirectionId == d.Id).ToList();
            _blocks.Add(new ReportHeading(2, Name(d.Name), "direction-" + d.Id));
            if (list.Count == 0)
            {
                _blocks.Add(new ReportParagraph(Words("report.direction.none"), ReportParagraphStyle.Note));
                continue;
            }
            _blocks.Add(CommitmentTable("direction-" + d.Id + "-commitments",
                Words("report.table.direction-commitments", Name(d.Name)), list));
            var milestones = MilestonesOf(list).ToList();
            if (milestones.Count > 0) _blocks.Add(MilestoneTable("direction-" + d.Id + "-milestones",
                Words("report.table.direction-milestones", Name(d.Name)), milestones));
        }
    }

    private void States()
    {
        Part("states", "report.part.states");
        var scorecard = new ReportTable("states-scorecard", Words("report.table.scorecard"),
            [Column("state", "report.col.state"), Column("commitments", "report.col.commitments", ReportCellKind.Integer),
                Column("scored", "report.col.scored", ReportCellKind.Integer),
                Column("score", "report.col.state-score", ReportCellKind.Percent),
                Column("complied", "report.col.scored-complied", ReportCellKind.Integer),
                Column("partly", "report.col.scored-partly", ReportCellKind.Integer),
                Column("not-complied", "report.col.scored-not-complied", ReportCellKind.Integer)],
            [.. facts.States.Select(s => (IReadOnlyList<ReportCell>)[Text(Name(s.Name)), .. ScoreCells(s.Id)])],
            AssessmentSources(Counted));
        _blocks.Add(new ReportChart("states-score-chart", Words("report.chart.states-score"), ReportChartKind.Bar,
            [.. facts.States.Select(s => Name(s.Name))],
            [new ReportSeries(Words("report.col.state-score"),
                [.. facts.States.Select(s => StateScore(s.Id) is { } p ? (double?)Math.Round(p * 100, 1) : null)])],
            scorecard.Id, "%"));
        _blocks.Add(scorecard);
        _blocks.Add(new ReportParagraph(Words("report.note.state-score"), ReportParagraphStyle.Note));

        foreach (var s in facts.States)
        {
            _blocks.Add(new ReportHeading(2, Name(s.Name), "state-" + s.Id));
            var cells = ScoreCells(s.Id);
            _blocks.Add(new ReportParagraph(Words("report.state.scorecard", cells[0].Text, cells[1].Text,
                cells[2].Text == "" ? Words("report.unknown") : cells[2].Text)));
            var rows = facts.Treaties.SelectMany(t => t.Parties.Where(p => p.StateId == s.Id).Select(p => (t, p))).ToList();
            _blocks.Add(new ReportTable("state-" + s.Id + "-ratification", Words("report.table.ratification", Name(s.Name)),
                [Column("treaty", "report.col.treaty"), Column("signed", "report.col.signed", ReportCellKind.Date),
                    Column("last-step", "report.col.last-step"), Column("last-step-on", "report.col.on", ReportCellKind.Date),
                    Column("in-force", "report.col.in-force-for", ReportCellKind.Date)],
                [.. rows.Select(x => (IReadOnlyList<ReportCell>)[Text(Name(x.t.Title)), DateCell(x.p.SignedOn),
                    Text(x.p.LastStep is { } k ? Term("RatificationStepKind", k) : ""), DateCell(x.p.LastStepOn),
                    DateCell(x.p.InForceOn)])],
                Of(rows.SelectMany(x => x.t.Sources))));
            if (facts.Round is { } round)
            {
                var tasks = round.States.FirstOrDefault(t => t.StateId == s.Id);
                _blocks.Add(new ReportParagraph(tasks is null
                    ? Words("report.state.no-tasks", Name(round.Name))
                    : Words("report.state.tasks", Name(round.Name), Integer(tasks.Validated),
                        Integer(tasks.Requested + tasks.Overdue + tasks.Submitted + tasks.Validated),
                        Integer(tasks.Submitted), Integer(tasks.Overdue))));
            }
        }
    }

    private void Treaties()
    {
        Part("treaties", "report.part.treaties");
        _blocks.Add(new ReportTable("treaties", Words("report.table.treaties"),
            [Column("treaty", "report.col.treaty"), Column("signed", "report.col.signed", ReportCellKind.Date),
                Column("status", "report.col.status"), Column("entry-into-force", "report.col.entry-into-force", ReportCellKind.Date),
                Column("instruments", "report.col.instruments", ReportCellKind.Integer),
                Column("parties", "report.col.parties", ReportCellKind.Integer)],
            [.. facts.Treaties.Select(t => (IReadOnlyList<ReportCell>)[Text(Name(t.Title)), DateCell(t.SignedOn),
                Text(Term("TreatyStatus", t.Status)), DateCell(t.EntryIntoForce),
                Int(t.Parties.Count(p => p.InstrumentOn is not null)), Int(t.Parties.Count)])],
            Of(facts.Treaties.SelectMany(t => t.Sources))));
    }

    private void Programmes()
    {
        Part("programmes", "report.part.programmes");
        var table = new ReportTable("programmes", Words("report.table.programmes"),
            [Column("programme", "report.col.programme"), Column("pledged-by", "report.col.pledged-by"),
                Column("unit", "report.col.unit"), Column("pledged", "report.col.pledged", ReportCellKind.Decimal),
                Column("allocated", "report.col.allocated", ReportCellKind.Decimal),
                Column("used", "report.col.used", ReportCellKind.Decimal), Column("used-stage", "report.col.used-stage"),
                Column("allocated-share", "report.col.allocated-share", ReportCellKind.Percent)],
            [.. facts.Programmes.Select(p => (IReadOnlyList<ReportCell>)[Text(Name(p.Name)), Text(StateName(p.PledgedBy)),
                Text(Unit(p.Unit)), Dec(p.Pledged), Dec(p.Allocated),
                p.StageTotals.Count > 0 ? Dec(p.StageTotals[^1]) : ReportCell.Empty,
                Text(p.Stages.Count > 0 ? Term("LedgerEntryKind", p.Stages[^1]) : ""),
                PercentCell(p.Pledged > 0 ? (double)(p.Allocated / p.Pledged) : null)])],
            Of(facts.Programmes.SelectMany(p => p.Sources)));
        _blocks.Add(new ReportChart("programmes-chart", Words("report.chart.programmes"), ReportChartKind.Progress,
            [.. facts.Programmes.Select(p => Name(p.Name))],
            [new ReportSeries(Words("report.col.allocated-share"),
                [.. facts.Programmes.Select(p => p.Pledged > 0 ? (double?)Math.Round((double)(p.Allocated / p.Pledged) * 100, 1) : null)])],
            table.Id, "%"));
        _blocks.Add(table);
    }

    private void Partnerships()
    {
        Part("partnerships", "report.part.partnerships");
        var p = facts.Partnerships;
        var table = new ReportTable("partnerships", Words("report.table.partnerships"),
            [Column("year", "report.col.year"), Column("reported", "report.col.reported", ReportCellKind.Integer),
                Column("recorded", "report.col.recorded", ReportCellKind.Integer),
                Column("target", "report.col.target", ReportCellKind.Integer)],
            [.. p.Years.Select(y => (IReadOnlyList<ReportCell>)[Text(y.Year.ToString(CultureInfo.InvariantCulture)),
                y.Reported is { } r ? new ReportCell(Integer(r), r) : ReportCell.Empty, Int(y.Recorded),
                y.Target is { } t ? new ReportCell(Integer(t), t) : ReportCell.Empty])],
            Of(p.ReportedSources.Concat(p.TargetSources)));
        _blocks.Add(new ReportChart("partnerships-chart", Words("report.chart.partnerships"), ReportChartKind.Bar,
            [.. p.Years.Select(y => y.Year.ToString(CultureInfo.InvariantCulture))],
            [new ReportSeries(Words("report.col.reported"), [.. p.Years.Select(y => (double?)y.Reported)]),
                new ReportSeries(Words("report.col.recorded"), [.. p.Years.Select(y => (double?)y.Recorded)]),
                new ReportSeries(Words("report.col.target"), [.. p.Years.Select(y => (double?)y.Target)])],
            table.Id, Words("report.unit.pairs")));
        _blocks.Add(table);
        _blocks.Add(new ReportParagraph(Words("report.note.partnerships", Integer(p.RecordedNow)), ReportParagraphStyle.Note));
    }

    private void Projects()
    {
        Part("projects", "report.part.projects");
        var money = MoneyFacts();
        if (money is null)
        {
            _blocks.Add(new ReportParagraph(Words("report.projects.no-rates", currency)));
            return;
        }
        _blocks.Add(new ReportParagraph(Words("report.projects.lead", currency, Integer(money.Transactions))));
        var byState = new ReportTable("projects-by-state", Words("report.table.projects-by-state", currency),
            [Column("state", "report.col.recipient"), Column("amount", "report.col.amount", ReportCellKind.Money),
                Column("transactions", "report.col.transactions", ReportCellKind.Integer)],
            [.. money.ByState.Select(l => (IReadOnlyList<ReportCell>)[
                Text(l.Key is null ? Words("report.unattributed") : StateName(l.Key)), MoneyCell(l.Amount),
                Int(l.Transactions)])],
            MoneySources(money));
        _blocks.Add(new ReportChart("projects-by-state-chart", Words("report.chart.projects-by-state", currency),
            ReportChartKind.Bar, [.. money.ByState.Select(l => l.Key is null ? Words("report.unattributed") : StateName(l.Key))],
            [new ReportSeries(currency, [.. money.ByState.Select(l => (double?)Math.Round(l.Amount, 2))])],
            byState.Id, currency));
        _blocks.Add(byState);
        _blocks.Add(new ReportTable("projects-by-direction", Words("report.table.projects-by-direction", currency),
            [Column("direction", "report.col.direction"), Column("amount", "report.col.amount", ReportCellKind.Money),
                Column("transactions", "report.col.transactions", ReportCellKind.Integer)],
            [.. money.ByDirection.Select(l => (IReadOnlyList<ReportCell>)[
                Text(l.Key is null ? Words("report.no-direction") : DirectionName(l.Key)), MoneyCell(l.Amount),
                Int(l.Transactions)])],
            MoneySources(money)));
        if (money.Unconverted.Count > 0)
            _blocks.Add(new ReportParagraph(Words("report.projects.unconverted", string.Join(Separator,
                money.Unconverted.Select(u => u.Amount.ToString("#,0.##", _culture) + " " + u.Key))), ReportParagraphStyle.Note));
        _blocks.Add(new ReportTable("rates", Words("report.table.rates"),
            [Column("source", "report.col.source"), Column("from", "report.col.from"), Column("to", "report.col.to"),
                Column("first", "report.col.first-rate", ReportCellKind.Date),
                Column("last", "report.col.last-rate", ReportCellKind.Date),
                Column("rates", "report.col.rates", ReportCellKind.Integer)],
            [.. money.Rates.Select(r => (IReadOnlyList<ReportCell>)[Text(r.Source), Text(r.From), Text(r.To),
                DateCell(r.FirstOn), DateCell(r.LastOn), Int(r.Rates)])],
            [.. money.Rates.Select(r => r.Source).Distinct().Order(StringComparer.Ordinal)]));
        if (money.UmbrellasExcluded > 0)
            _blocks.Add(new ReportParagraph(Words("report.projects.umbrellas", Integer(money.UmbrellasExcluded)),
                ReportParagraphStyle.Note));
    }

    private void Changes()
    {
        Part("changes", "report.part.changes");
        if (facts.Previous is null)
        {
            _blocks.Add(new ReportParagraph(Words("report.changes.none")));
            return;
        }
        _blocks.Add(new ReportParagraph(Words("report.changes.lead", Name(facts.Previous.Name))));
        var texts = facts.Commitments.ToDictionary(c => c.Id, c => Name(c.Text), StringComparer.Ordinal);
        _blocks.Add(new ReportTable("changes", Words("report.table.changes", Name(facts.Previous.Name)),
            [Column("commitment-id", "report.col.id"), Column("commitment", "report.col.commitment"),
                Column("before", "report.col.before"), Column("after", "report.col.after"),
                Column("change", "report.col.change")],
            [.. facts.Changes.Select(c => (IReadOnlyList<ReportCell>)[Text(c.CommitmentId),
                Text(texts.GetValueOrDefault(c.CommitmentId) ?? ""),
                Text(c.Before is { } b ? Status(b) : ""), Text(c.After is { } a ? Status(a) : ""),
                Text(Term("SnapshotChange", c.Change))])],
            [Words("report.source.snapshots", facts.Previous.SnapshotId, facts.SnapshotId)]));
    }

    private void Annex()
    {
        Part("annex", "report.part.annex");
        var table = new ReportTable("annex-commitments", Words("report.table.annex"),
            [Column("id", "report.col.id"), Column("commitment", "report.col.commitment"),
                Column("direction", "report.col.direction"), Column("parties", "report.col.parties"),
                Column("deadline", "report.col.deadline"), Column("status", "report.col.status"),
                Column("score", "report.col.collective", ReportCellKind.Decimal),
                Column("evidence", "report.col.evidence"), Column("sources", "report.col.sources")],
            [.. facts.Commitments.Select(c => (IReadOnlyList<ReportCell>)[Text(c.Id),
                Text(Name(c.Text) + (c.TextIsSummary ? " " + Words("report.summary-mark") : "")),
                Text(c.DirectionId is null ? "" : DirectionName(c.DirectionId)),
                Text(string.Join(Separator, c.Parties.Select(StateShort))),
                Text(c.Deadline is { } d ? Date(d) : ""), Text(Status(c.Status)),
                c.Collective is { } v ? new ReportCell(v.ToString("0.##", _culture), Round4(v)) : ReportCell.Empty,
                Text(string.Join("\n", c.Assessments.Select(a => StateShort(a.StateId)
                    + (a.Draft ? " " + Words("report.draft-value") : "") + ": " + Name(a.Evidence)
                    + (a.EvidenceUrl is { } u ? " " + u : "")))),
                Text(string.Join("\n", Of(c.Sources.Concat(c.Assessments.SelectMany(a => a.Sources)))))])],
            Of(facts.Commitments.SelectMany(c => c.Sources.Concat(c.Assessments.SelectMany(a => a.Sources)))),
            Annex: true, SheetName: Sheet(Words("report.sheet.commitments")));
        _blocks.Add(table);
        _blocks.Add(new ReportTable("annex-milestones", Words("report.table.annex-milestones"),
            MilestoneColumns(), [.. facts.Milestones.Select(MilestoneRow)], Of(facts.Milestones.SelectMany(m => m.Sources)),
            Annex: true, SheetName: Sheet(Words("report.sheet.milestones"))));
        _blocks.Add(new ReportTable("annex-sources", Words("report.table.annex-sources"),
            [Column("number", "report.col.number", ReportCellKind.Integer), Column("id", "report.col.id"),
                Column("title", "report.col.title"), Column("date", "report.col.date"), Column("url", "report.col.url")],
            [.. facts.Sources.Select(s => (IReadOnlyList<ReportCell>)[Int(_number[s.Id]), Text(s.Id), Text(s.Title),
                Text(s.Date is { } d ? Date(d) : ""), Text(s.Url ?? "")])],
            [], Annex: true, SheetName: Sheet(Words("report.sheet.sources"))));
    }

    // ---- Pieces ----

    private ReportTable CommitmentTable(string id, string caption, IReadOnlyList<FactCommitment> list) =>
        new(id, caption,
            [Column("id", "report.col.id"), Column("commitment", "report.col.commitment"),
                Column("status", "report.col.status"), Column("score", "report.col.collective", ReportCellKind.Decimal),
                Column("deadline", "report.col.deadline"), Column("late", "report.col.late-mark")],
            [.. list.Select(c => (IReadOnlyList<ReportCell>)[Text(c.Id), Text(Name(c.Text)), Text(Status(c.Status)),
                c.Collective is { } v ? new ReportCell(v.ToString("0.##", _culture), Round4(v)) : ReportCell.Empty,
                Text(c.Deadline is { } d ? Date(d) : ""), Text(c.LateOn(facts.SnapshotOn) ? Words("report.late") : "")])],
            Of(list.SelectMany(c => c.Sources).Concat(list.SelectMany(c => c.Assessments.SelectMany(a => a.Sources)))));

    private IReadOnlyList<ReportColumn> MilestoneColumns() =>
        [Column("commitment-id", "report.col.id"), Column("milestone", "report.col.milestone"),
            Column("state", "report.col.state"), Column("due", "report.col.due"),
            Column("achieved", "report.col.achieved"), Column("status", "report.col.status")];

    private IReadOnlyList<ReportCell> MilestoneRow(FactMilestone m) =>
        [Text(m.CommitmentId), Text(Name(m.Title)), Text(m.StateId is null ? Words("report.all-parties") : StateShort(m.StateId)),
            Text(m.Due is { } d ? Date(d) : ""), Text(m.AchievedOn is { } a ? Date(a) : ""),
            Text(Term("MilestoneStatus", m.Status))];

    private ReportTable MilestoneTable(string id, string caption, IReadOnlyList<FactMilestone> list) =>
        new(id, caption, MilestoneColumns(), [.. list.Select(MilestoneRow)], Of(list.SelectMany(m => m.Sources)));

    private IEnumerable<FactMilestone> MilestonesOf(IEnumerable<FactCommitment> list)
    {
        var ids = list.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return facts.Milestones.Where(m => ids.Contains(m.CommitmentId));
    }

    /// <summary>The state's own scores in the snapshot, over the commitments that count and bind it.</summary>
    private List<int> ScoresOf(string stateId) =>
        [.. Counted.SelectMany(c => c.Assessments.Where(a => a.StateId == stateId).Select(a => a.Score))];

    private double? StateScore(string stateId) => ScoresOf(stateId) is { Count: > 0 } s
        ? ComplianceRules.Percent(s.Average()) / 100 : null;

    private IReadOnlyList<ReportCell> ScoreCells(string stateId)
    {
        var scores = ScoresOf(stateId);
        return [Int(Counted.Count(c => c.Parties.Contains(stateId))), Int(scores.Count), PercentCell(StateScore(stateId)),
            Int(scores.Count(s => s > 0)), Int(scores.Count(s => s == 0)), Int(scores.Count(s => s < 0))];
    }

    /// <summary>Mean collective score of the assessed commitments as a share 0..1; null when none is assessed.</summary>
    private static double? Progress(IEnumerable<FactCommitment> list)
    {
        var scored = list.Where(c => c.Collective is not null).Select(c => c.Collective!.Value).ToList();
        return scored.Count == 0 ? null : ComplianceRules.Percent(scored.Average()) / 100;
    }

    private FactProjects? MoneyFacts() => facts.Projects.FirstOrDefault(p => p.Currency == currency);

    private IReadOnlyList<string> MoneySources(FactProjects money) =>
        [Words("report.source.iati"), .. money.Rates.Select(r => r.Source).Distinct().Order(StringComparer.Ordinal)];

    private IReadOnlyList<string> AssessmentSources(IEnumerable<FactCommitment> list) =>
        Of(list.SelectMany(c => c.Assessments.SelectMany(a => a.Sources)));

    /// <summary>Sources by id, as the reader cites them: title, date and address; each once, in id order.</summary>
    /// <summary>
    /// The sources that give a figure or a table, as the reader cites them: each with its number in the sources annex,
    /// in full when there are a few, by number alone when there are many (a key figure drawn from thirty documents
    /// would otherwise fill a page with addresses; the annex gives each in full under its number).
    /// </summary>
    private IReadOnlyList<string> Of(IEnumerable<string> ids)
    {
        var known = ids.Distinct().Where(_sources.ContainsKey).OrderBy(id => _number[id]).ToList();
        if (known.Count > FullCitations) return [.. known.Select(id => $"[{_number[id]}]")];
        return [.. known.Select(id => _sources[id] is var s
            ? $"[{_number[id]}] " + s.Title + (s.Date is { } d ? ", " + Date(d) : "") + (s.Url is { } u ? " — " + u : "")
            : id)];
    }

    /// <summary>Up to this many sources are cited in full where a figure or table names them.</summary>
    private const int FullCitations = 3;

    private void Part(string anchor, string key) => _blocks.Add(new ReportHeading(1, Words(key), anchor));

    private ReportFigure Figure(string key, int value, IReadOnlyList<string> sources) =>
        new(Words(key), Integer(value), value, sources);

    private ReportColumn Column(string key, string titleKey, ReportCellKind kind = ReportCellKind.Text) =>
        new(key, Words(titleKey), kind);

    private static ReportCell Text(string text) => new(text);
    private ReportCell Int(int value) => new(Integer(value), value);
    private ReportCell Dec(decimal value) => new(value.ToString("#,0.##", _culture), value);
    private ReportCell MoneyCell(decimal value) => new(Money(value), Math.Round(value, 2));
    private ReportCell PercentCell(double? share) => share is { } s ? new(Percent(s), Round4(s)) : ReportCell.Empty;

    private ReportCell DateCell(string? iso) => iso is null ? ReportCell.Empty
        : PartialDate.TryParse(iso, out var d) && d.Day is not null ? new(d.Format(_culture), Date: d.Earliest)
        : new(Date(iso));

    private ReportCell DateCell(DateOnly day) => new(Day(day), Date: day);

    private string Integer(decimal value) => value.ToString("#,0", _culture);
    private string Money(decimal value) => value.ToString("#,0", _culture) + " " + currency;
    private string Percent(double share) => (share * 100).ToString("0", _culture) + (language == "ru" ? "\u00a0%" : "%");
    private static decimal Round4(double value) => Math.Round((decimal)value, 4);
    private string Day(DateOnly day) => PartialDate.OfDay(day.Year, day.Month, day.Day).Format(_culture);
    private string Date(string iso) => PartialDate.TryParse(iso, out var d) ? d.Format(_culture) : iso;
    private string Name(LocalizedText text) => text.Pick(language).Text ?? "";
    private string StateName(string id) => facts.States.FirstOrDefault(s => s.Id == id) is { } s ? Name(s.Name) : id;
    private string StateShort(string id) => StateName(id);
    private string DirectionName(string id) => facts.Directions.FirstOrDefault(d => d.Id == id) is { } d ? Name(d.Name) : id;
    private string Status(CommitmentStatus s) => Term("CommitmentStatus", s);
    private string Term<T>(string type, T value) where T : struct, Enum => words(type + "." + SeedEnums.ToKebab(value));
    private string Unit(string unit) => words("programme.unit." + unit);
    private string Separator => language == "zh" ? "、" : ", ";

    private string Words(string key, params object[] args) =>
        args.Length == 0 ? words(key) : string.Format(_culture, words(key), args);

    /// <summary>An XLSX sheet's name: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string Sheet(string name)
    {
        var clean = new string([.. name.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']'))]);
        return clean.Length > 31 ? clean[..31] : clean;
    }
}
