using System.Globalization;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Programmes;
using Caravan.Features.Projects;
using Caravan.Features.Seed;
using Caravan.Features.Submissions;
using Caravan.Features.Uploads;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Rounds;

/// <summary>Why a sheet is refused as a whole, with the HTTP status that says so.</summary>
public sealed record SheetRefusal(int Status, Message Message);

/// <summary>One row's outcome: its task, the record it proposes for, what would change, and its problems.</summary>
public sealed record SheetRowResult(int Row, RoundTask Task, string? RecordId, IReadOnlyList<SheetChange> Changes,
    IReadOnlyList<ProposedSource> Sources, IReadOnlyList<SheetProblem> Problems, string? SubmissionId);

/// <summary>One field a row changes: its name and its value before and after (invariant strings).</summary>
public sealed record SheetChange(string Field, string? From, string? To);

/// <summary>
/// A sheet as checked (a preview) or submitted: the state it answers for, each row that proposes something, and
/// whether anything was stored. All rows or none: nothing is stored while any row has a problem.
/// </summary>
public sealed record SheetOutcome(string StateId, IReadOnlyList<SheetRowResult> Rows, bool Stored)
{
    public int Accepted => Rows.Count(r => r.Problems.Count == 0);
    public int Refused => Rows.Count(r => r.Problems.Count > 0);
    public int Submitted => Rows.Count(r => r.SubmissionId is not null);
}

/// <summary>
/// A round answered by spreadsheet (issue 16, item 3): each state's template of its tasks, and an upload read row by
/// row into proposals that go through the normal workflow (<see cref="RecordEditor.ProposeAllAsync"/>), one
/// submission per record, submitted together. A coordinator answers for their own state; the secretariat for any.
/// </summary>
public sealed class RoundSheets(CaravanDbContext db, TimeProvider clock, RecordEditor editor)
{
    /// <summary>The largest sheet accepted (a template of every task of a state is well under 1 MB).</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The state <paramref name="caller"/> answers for: a coordinator's own (another is refused), the one the
    /// secretariat names. Officers and the public do not answer by sheet.
    /// </summary>
    public static (string? State, SheetRefusal? Refusal) StateFor(Caller? caller, string? requested,
        IReadOnlyCollection<string> states, Func<string, string>? name = null)
    {
        if (caller is null) return (null, new(401, new Message(RoundSheetMessages.NotYours)));
        if (!caller.SecondFactor)
            return (null, new(403, new Message(AccessMessages.SecondFactorRequired)));
        if (caller.ReadOnly) return (null, new(403, new Message(AccessMessages.ReadOnlyRefused)));
        if (caller.IsSecretariat)
        {
            if (string.IsNullOrWhiteSpace(requested))
                return (null, new(400, new Message(RoundSheetMessages.StateRequired, MessageArg.Join(states))));
            return states.Contains(requested)
                ? (requested, null)
                : (null, new(400, new Message(RoundSheetMessages.UnknownState, requested, MessageArg.Join(states))));
        }
        if (caller.Role == CaravanRole.NationalCoordinator && caller.StateId is { } own)
            return string.IsNullOrWhiteSpace(requested) || requested == own
                ? (own, null)
                : (null, new(403, new Message(RoundSheetMessages.OtherState, (name ?? (x => x))(requested),
                    (name ?? (x => x))(own))));
        return (null, new(403, new Message(RoundSheetMessages.NotYours)));
    }

    private Dictionary<string, LocalizedText> names = [];

    /// <summary>A state's short name in <paramref name="language"/>, for a message ("Kazakhstan", not "KZ").</summary>
    private string NameOf(string? state, string language) =>
        state is not null && names.TryGetValue(state, out var n) && n.Pick(language).Text is { } text ? text
            : state ?? "—";

    /// <summary>The round's tasks of one state (the round, or null when there is none).</summary>
    private async Task<(Round Round, List<RoundTaskView> Tasks, List<string> States)?> TasksAsync(string roundId,
        CancellationToken ct)
    {
        var derived = await RoundQueries.DeriveAsync(db, roundId, clock.GetUtcNow(), ct);
        if (derived is not { } d) return null;
        var states = await db.MemberStates.AsNoTracking().Select(s => s.Id).OrderBy(s => s).ToListAsync(ct);
        names = await db.MemberStates.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.ShortName, ct);
        return (d.Round, d.Tasks, states);
    }

    /// <summary>
    /// A state's template: every task of the state in the round, with the record's current value and sources. Words
    /// come from <paramref name="text"/> in the template's language.
    /// </summary>
    public async Task<(SheetTemplate? Template, SheetRefusal? Refusal)> TemplateAsync(Caller? caller, string roundId,
        string? stateId, string language, Func<string, string> text, SheetVocabulary words,
        CancellationToken ct = default)
    {
        if (await TasksAsync(roundId, ct) is not { } found) return (null, new(404, new Message(RecordMessages.NotFound)));
        var (round, tasks, states) = found;
        var (state, refusal) = StateFor(caller, stateId, states, s => NameOf(s, language));
        if (refusal is not null) return (null, refusal);
        if (!round.IsOpen) return (null, new(409, new Message(RoundSheetMessages.RoundClosed)));
        var mine = tasks.Where(t => t.Task.StateId == state).ToList();
        var facts = await FactsAsync(round, mine, ct);
        var current = await CurrentAsync(round, mine, language, text, ct);
        var rows = mine.Select(t =>
        {
            var f = facts[t.Task.Key];
            var (now, sources) = current.GetValueOrDefault(t.Task.Key, ("", ""));
            var about = t.Task.Title.Pick(language).Text ?? "";
            // The year in the reader's brackets (full-width in Chinese).
            if (t.Task.Year is { } year)
                about += string.Format(CultureInfo.InvariantCulture, text("sheet.aside"),
                    year.ToString(CultureInfo.InvariantCulture));
            return new SheetTemplateRow(t.Task.Key, t.Task.Kind, f.Programme, text(RoundTaskSource.LabelKey(t.Task.Kind)), about,
                text("RoundTaskStatus." + SeedEnums.ToKebab(t.Status)), now, sources,
                f.Unit is { } unit ? words.UnitLabel(unit) : null, f.Version,
                f.AllocationYears is [.., var latest] ? latest : null);
        }).ToList();
        return (new SheetTemplate(round.Id, state!, language, SheetName(text), clock.GetUtcNow(), rows), null);
    }

    private static string SheetName(Func<string, string> text)
    {
        // A sheet's name: at most 31 characters, none of : \ / ? * [ ].
        var name = new string([.. text("sheet.sheet-name").Where(c => ":\\/?*[]".IndexOf(c) < 0)]);
        return name.Length is > 0 and <= 31 ? name : "tasks";
    }

    /// <summary>
    /// Checks an uploaded sheet for a state and, with <paramref name="submit"/>, turns its rows into submissions. With
    /// <paramref name="perRow"/>, the rows without problems go ahead while the others are reported; by default one
    /// problem stores nothing.
    /// </summary>
    public async Task<(SheetOutcome? Outcome, SheetRefusal? Refusal)> CheckAsync(Caller? caller, string roundId,
        string? stateId, byte[] bytes, string fileName, SheetVocabulary words, SheetReading reading,
        UploadLimits limits, bool perRow, bool submit, CancellationToken ct = default)
    {
        if (await TasksAsync(roundId, ct) is not { } found) return (null, new(404, new Message(RecordMessages.NotFound)));
        var (round, tasks, states) = found;
        string Name(string s) => NameOf(s, reading.Language);
        var (state, refusal) = StateFor(caller, stateId, states, Name);
        // The secretariat may leave the state out: the template's hidden sheet names it (read below, once).
        var fromFile = refusal is { Status: 400 } && caller is { IsSecretariat: true }
            && string.IsNullOrWhiteSpace(stateId);
        if (refusal is not null && !fromFile) return (null, refusal);
        if (!round.IsOpen) return (null, new(409, new Message(RoundSheetMessages.RoundClosed)));
        if (bytes.Length == 0) return (null, new(400, new Message(RoundSheetMessages.NoFile)));
        if (bytes.Length > MaxBytes)
            return (null, new(413, new Message(RoundSheetMessages.TooLarge, MaxBytes / (1024 * 1024))));

        var (content, unreadable) = RoundSheetFile.Read(bytes, fileName, limits, words);
        if (unreadable is not null)
            return (null, new(UploadLimitMessages.IsUploadRefusal(unreadable.Code)
                ? UploadLimitMessages.StatusOf(unreadable.Code) : 422, unreadable));
        if (fromFile)
        {
            if (content!.Meta?.StateId is not { } named || !states.Contains(named)) return (null, refusal);
            (state, refusal) = StateFor(caller, named, states, Name);
            if (refusal is not null) return (null, refusal);
        }
        if (content!.Meta is { } meta)
        {
            if (meta.RoundId is { } r && r != round.Id)
                return (null, new(422, new Message(RoundSheetMessages.OtherRound, r)));
            if (meta.StateId is { } s && s != state)
                return (null, new(422, new Message(RoundSheetMessages.OtherState, Name(s), Name(state!))));
        }

        var byKey = tasks.ToDictionary(t => t.Task.Key, StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<(SheetCells Cells, RoundTaskView Task)>();
        foreach (var row in content.Rows)
        {
            var key = row[SheetColumns.Task];
            if (key is null)
            {
                if (RoundSheetRules.IsBlank(row)) continue;
                return (null, new(422, new Message(RoundSheetMessages.UnknownTask, row.Row, "")));
            }
            if (!byKey.TryGetValue(key, out var task))
                return (null, new(422, new Message(RoundSheetMessages.UnknownTask, row.Row, key)));
            // Another state's task in a CSV: the file is that state's, not this one's.
            if (task.Task.StateId != state)
                return (null, new(422, new Message(RoundSheetMessages.OtherState, NameOf(task.Task.StateId, reading.Language),
                    Name(state!))));
            if (seen.TryGetValue(key, out var first))
                return (null, new(422, new Message(RoundSheetMessages.TaskTwice, row.Row, first)));
            seen[key] = row.Row;
            rows.Add((row, task));
        }

        var facts = await FactsAsync(round, [.. rows.Select(r => r.Task)], ct);
        var results = new List<(SheetCells Cells, RoundTask Task, SheetProposal? Proposal, List<SheetProblem> Problems)>();
        foreach (var (cells, task) in rows)
        {
            var f = facts[task.Task.Key];
            var (proposal, problems) = RoundSheetRules.Read(cells, f, words, reading with
            {
                EntrySuffix = EntrySuffix(round, cells),
            });
            if (proposal is null && problems.Count == 0) continue;
            if (f.Version is { } now && content.Meta?.Versions.GetValueOrDefault(task.Task.Key) is { } then
                && then != now)
                problems.Add(new SheetProblem(cells.Row, SheetColumns.Task, RoundSheetMessages.ChangedSince));
            results.Add((cells, task.Task, problems.Count == 0 ? proposal : null, problems));
        }
        if (results.Count == 0) return (null, new(422, new Message(RoundSheetMessages.Nothing)));

        var proposals = results.Where(r => r.Proposal is not null).Select(r => r.Proposal!).ToList();
        var rowProblems = results.Any(r => r.Problems.Count > 0);
        var store = submit && (perRow || !rowProblems);
        var checks = proposals.Count == 0 ? [] : await editor.ProposeAllAsync(caller!,
            [.. proposals.Select(p => new RecordProposal(p.Task.RecordKind, p.RecordId, p.Create, p.Input, p.Sources))],
            Reason(round), allOrNone: !perRow, dryRun: !store, round.Name, ct);
        var byRow = proposals.Select((p, i) => (p.Row, Check: checks[i])).ToDictionary(x => x.Row, x => x.Check);

        var outcome = results.Select(r =>
        {
            var problems = new List<SheetProblem>(r.Problems);
            if (byRow.GetValueOrDefault(r.Cells.Row) is not { } check)
                return new SheetRowResult(r.Cells.Row, r.Task, null, [], [], problems, null);
            problems.AddRange(check.Errors.Select(e => new SheetProblem(r.Cells.Row,
                RoundSheetRules.ColumnOf(e.Field), e.Message)));
            var changes = check.Values is null || check.Kind is null
                ? []
                : RecordFields.Changed(check.Kind.Fields, check.Record?.Values ?? new Dictionary<string, string?>(),
                        check.Values)
                    .Select(f => new SheetChange(f, check.Record?.Values.GetValueOrDefault(f), check.Values[f]))
                    .ToList();
            return new SheetRowResult(r.Cells.Row, r.Task, check.Proposal.Id, changes, check.Sources ?? [], problems,
                check.Submission?.Id);
        }).ToList();
        return (new SheetOutcome(state!, outcome, outcome.Any(r => r.SubmissionId is not null)), null);
    }

    private static string Reason(Round round) => $"answered round {round.Id} by spreadsheet";

    /// <summary>
    /// A new ledger entry's id suffix: the round and what the row says, so that the same sheet uploaded twice proposes
    /// the same entry (refused the second time as existing), while another entry gets an id of its own.
    /// </summary>
    private static string EntrySuffix(Round round, SheetCells row)
    {
        var said = string.Join("\n", SheetColumns.All.Select(c => row[c] ?? ""));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(said)))[..12];
        return $"r{round.Id[..Math.Min(8, round.Id.Length)].ToLowerInvariant()}-{hash}";
    }

    private sealed record IdVersion(string Id, int Version);

    /// <summary>What the rules need to know of each task's record: bulk reads, not one per task.</summary>
    private async Task<Dictionary<string, SheetTaskFacts>> FactsAsync(Round round, IReadOnlyList<RoundTaskView> tasks,
        CancellationToken ct)
    {
        var ids = tasks.GroupBy(t => t.Task.Kind).ToDictionary(g => g.Key, g => g.Select(t => t.Task.RecordId).ToList());
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        // Projected to a class, not a tuple: Npgsql reads a tuple as a PostgreSQL record, which it refuses.
        async Task Load<T>(IQueryable<T> set, Func<IQueryable<T>, List<string>, IQueryable<IdVersion>> select,
            string kind)
        {
            foreach (var chunk in ids.GetValueOrDefault(kind, []).Chunk(500))
                foreach (var row in await select(set, [.. chunk]).ToListAsync(ct)) versions[row.Id] = row.Version;
        }
        await Load(db.Assessments.AsNoTracking(), (q, c) => q.Where(a => c.Contains(a.Id))
            .Select(a => new IdVersion(a.Id, a.Version)), AssessmentTasks.Name);
        await Load(db.IndicatorValues.AsNoTracking(), (q, c) => q.Where(v => c.Contains(v.Id))
            .Select(v => new IdVersion(v.Id, v.Version)), IndicatorValueTasks.Name);
        await Load(db.Milestones.AsNoTracking(), (q, c) => q.Where(m => c.Contains(m.Id))
            .Select(m => new IdVersion(m.Id, m.Version)), MilestoneTasks.Name);
        var indicatorUnits = await db.Indicators.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Unit, ct);
        var programmes = await db.Programmes.AsNoTracking()
            .ToDictionaryAsync(p => p.Id, p => (p.Unit, p.Kind), ct);
        var allocations = (await db.ProgrammeEntries.AsNoTracking().Where(e => e.Kind == LedgerEntryKind.Allocation)
                .Select(e => new { e.ProgrammeId, e.StateId, e.Year }).Distinct().ToListAsync(ct))
            .ToLookup(e => (e.ProgrammeId, e.StateId), e => e.Year);
        return tasks.ToDictionary(t => t.Task.Key, t =>
        {
            var task = t.Task;
            var exists = versions.TryGetValue(task.RecordId, out var version);
            string? unit = null;
            ProgrammeKind? programme = null;
            if (task.Kind == IndicatorValueTasks.Name) unit = indicatorUnits.GetValueOrDefault(task.RecordId.Split(':')[0]);
            if (task.Kind == ProgrammeEntryTasks.Name
                && programmes.TryGetValue(task.RecordId.Split(':')[0], out var p)) (unit, programme) = (p.Unit, p.Kind);
            // The leading open submission's status, for a task whose record it would collide with.
            var open = task.ByPrefix || t.SubmissionId is null ? null : t.WaitsFor switch
            {
                RoundWaitsFor.Submission => "draft",
                RoundWaitsFor.Rework => "returned",
                RoundWaitsFor.Publication => "validated",
                _ => "submitted",
            };
            var years = task.Kind == ProgrammeEntryTasks.Name
                ? allocations[(task.RecordId.Split(':')[0], task.StateId ?? "")].Order().ToList()
                : null;
            return new SheetTaskFacts(task, task.Kind != ProgrammeEntryTasks.Name && exists, exists ? version : null,
                unit, programme, open, years);
        }, StringComparer.Ordinal);
    }

    /// <summary>
    /// What Caravan holds now for each task, as the template shows it: the value and the titles and addresses of its
    /// sources. An assessment shows the latest published one for the commitment and state; a yearly figure the latest
    /// year before; a ledger the latest entry of the state; a milestone its due date and outcome.
    /// </summary>
    private async Task<Dictionary<string, (string Value, string Sources)>> CurrentAsync(Round round,
        IReadOnlyList<RoundTaskView> tasks, string language, Func<string, string> text, CancellationToken ct)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var state = tasks.FirstOrDefault()?.Task.StateId;
        if (state is null) return result;
        var periods = await db.ReportingPeriods.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        var order = periods.Values.FirstOrDefault(p => p.Id == round.PeriodId)?.Order ?? int.MaxValue;
        var assessments = (await db.Assessments.AsNoTracking().Where(a => a.StateId == state).ToListAsync(ct))
            .Where(a => periods.TryGetValue(a.PeriodId, out var p) && p.Order <= order)
            .GroupBy(a => a.CommitmentId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => periods[a.PeriodId].Order).First());
        var values = (await db.IndicatorValues.AsNoTracking().Where(v => v.StateId == state).ToListAsync(ct))
            .ToLookup(v => v.IndicatorId);
        var entries = (await db.ProgrammeEntries.AsNoTracking().Where(e => e.StateId == state).ToListAsync(ct))
            .ToLookup(e => e.ProgrammeId);
        var milestones = await db.Milestones.AsNoTracking()
            .Where(m => tasks.Select(t => t.Task.RecordId).Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);

        var shown = new Dictionary<string, (string Type, string Id)>(StringComparer.Ordinal);
        foreach (var t in tasks)
        {
            var task = t.Task;
            var parts = task.RecordId.Split(':');
            switch (task.Kind)
            {
                case AssessmentTasks.Name when assessments.TryGetValue(parts[0], out var a):
                    result[task.Key] = ($"{periods[a.PeriodId].Name.Pick(language).Text}: " +
                        $"{text("score." + a.Score.ToString(CultureInfo.InvariantCulture))}. " +
                        $"{a.Evidence.Pick(language).Text}".Trim(), "");
                    shown[task.Key] = (Sources.SubjectTypes.Assessment, a.Id);
                    break;
                case IndicatorValueTasks.Name
                    when values[parts[0]].Where(v => v.Year < task.Year).MaxBy(v => v.Year) is { } v:
                    result[task.Key] = ($"{v.Year.ToString(CultureInfo.InvariantCulture)}: " +
                        v.Value.ToString("#,0.##########", culture), "");
                    shown[task.Key] = (Sources.SubjectTypes.IndicatorValue, v.Id);
                    break;
                case ProgrammeEntryTasks.Name
                    when entries[parts[0]].Where(e => e.Kind != LedgerEntryKind.Allocation).MaxBy(e => e.On) is { } e:
                    result[task.Key] = ($"{PartialDate.OfDay(e.On.Year, e.On.Month, e.On.Day).Format(culture)}: " +
                        $"{text("LedgerEntryKind." + SeedEnums.ToKebab(e.Kind))} " +
                        e.Quantity.ToString("#,0.##########", culture), "");
                    shown[task.Key] = (Sources.SubjectTypes.ProgrammeEntry, e.Id);
                    break;
                case MilestoneTasks.Name when milestones.TryGetValue(task.RecordId, out var m):
                    var due = m.Due is { } d ? string.Format(culture, text("sheet.due"), d.Format(culture)) : "";
                    var outcome = m.Cancelled ? text("sheet.outcome.cancelled")
                        : m.AchievedOn is { } on ? $"{text("sheet.outcome.achieved")}: {on.Format(culture)}" : "";
                    result[task.Key] = (string.Join("; ", new[] { due, outcome }.Where(x => x.Length > 0)), "");
                    shown[task.Key] = (Sources.SubjectTypes.Milestone, m.Id);
                    break;
            }
        }
        var cited = shown.Values.Select(s => s.Id).Distinct().ToList();
        var citations = new List<(string Type, string Id, string Title, string? Url)>();
        foreach (var chunk in cited.Chunk(500))
            citations.AddRange((await db.Citations.AsNoTracking().Where(c => chunk.Contains(c.SubjectId))
                .Select(c => new { c.SubjectType, c.SubjectId, c.Source!.Title, c.Source.Url }).ToListAsync(ct))
                .Select(c => (c.SubjectType, c.SubjectId, c.Title, c.Url)));
        var byRecord = citations.ToLookup(c => (c.Type, c.Id));
        foreach (var (key, record) in shown)
            result[key] = (result[key].Item1, string.Join("\n", byRecord[record]
                .Select(c => c.Url is null ? c.Title : $"{c.Title} — {c.Url}")));
        return result;
    }
}
