using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Notifications;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Submissions;

/// <summary>
/// What a change to a record made: the record as it now stands (after a conflict: as the other change left it), the
/// submission made or moved on, and, for a conflict, the latest change it collided with.
/// </summary>
public sealed record RecordChange(EditableRecord? Record, Submission? Submission = null,
    AuditEntry? OtherChange = null);

/// <summary>One record a batch proposes to change (<see cref="RecordEditor.ProposeAllAsync"/>).</summary>
public sealed record RecordProposal(string Kind, string Id, bool Create, IReadOnlyDictionary<string, string?> Input,
    IReadOnlyList<SourceInput>? Sources);

/// <summary>
/// A batch proposal as checked: the record as it stands, the values it would take, the problems (none: accepted), and
/// the submission made, once saved.
/// </summary>
public sealed record ProposalCheck(RecordProposal Proposal, RecordKind? Kind, EditableRecord? Record,
    IReadOnlyDictionary<string, string?>? Values, List<FieldError> Errors,
    IReadOnlyList<ProposedSource>? Sources = null, Submission? Submission = null);

/// <summary>A record write's outcome read as what it made: <c>result.Record</c>, <c>result.Submission</c>.</summary>
public static class RecordChanges
{
    extension(WriteOutcome<RecordChange> outcome)
    {
        public EditableRecord? Record => outcome.Value?.Record;
        public Submission? Submission => outcome.Value?.Submission;
        public AuditEntry? OtherChange => outcome.Value?.OtherChange;
    }
}

/// <summary>
/// Every change to an editable record and every workflow step goes through here: scope checked by
/// <see cref="Access"/>, values validated, concurrency checked, refusals audited. Pages and API
/// endpoints only translate requests into these calls and results into answers.
/// </summary>
public sealed class RecordEditor(CaravanDbContext db, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Changes a record or proposes a change. The checks (scope, values, the ledger's balances, the version) and the
    /// write are one step under the writers' lock (<see cref="CaravanDbContext.WriteAsync{T}"/>): two requests that
    /// each pass alone cannot both be saved when together they break a rule.
    /// </summary>
    public Task<WriteOutcome<RecordChange>> ChangeAsync(
        Caller? caller, string kindName, string id, IReadOnlyDictionary<string, string?> input, string? reason,
        int? expectedVersion, bool submit, bool create, CancellationToken ct = default,
        IReadOnlyList<SourceInput>? sources = null) =>
        db.WriteAsync(() => ChangeUnderLockAsync(caller, kindName, id, input, reason, expectedVersion, submit, create,
            ct, sources), ct);

    private async Task<WriteOutcome<RecordChange>> ChangeUnderLockAsync(
        Caller? caller, string kindName, string id, IReadOnlyDictionary<string, string?> input, string? reason,
        int? expectedVersion, bool submit, bool create, CancellationToken ct, IReadOnlyList<SourceInput>? sources)
    {
        if (RecordKind.Named(kindName) is not { } kind) return Refused(WorkflowError.NotFound());
        EditableRecord? record;
        if (create)
        {
            if (!kind.CanCreate) return Refused(WorkflowError.Invalid("id", RecordMessages.CannotCreate));
            var (described, error) = await kind.DescribeNewAsync(db, id, ct);
            if (error is { } code)
                return Refused(code == RecordMessages.Exists
                    ? WorkflowError.Conflict(code) : WorkflowError.Invalid("id", code));
            record = described!;
        }
        else
        {
            record = await kind.FindAsync(db, id, ct);
            if (record is null) return Refused(WorkflowError.NotFound());
        }

        var right = Access.WriteRightOn(caller, record.Scope);
        if (right == WriteRight.None)
        {
            await RefuseAsync(caller, record.AuditSubjectType, record.Id, "change", ct);
            return Refused(
                WorkflowError.Forbidden(
                    caller is { SecondFactor: false }
                        ? AccessMessages.SecondFactorRequired
                        : RecordMessages.OutOfScope),
                new(record));
        }

        // A draft may wait for its sources; a submission or a direct change may not.
        var (values, errors, proposedSources) = await CheckValuesAsync(caller!, kind, record, right, create,
            submit || right == WriteRight.Direct, input, sources, ct);
        // An update names the version it was made on: without it, whatever was saved meanwhile would be overwritten.
        if (!create && expectedVersion is null) errors.Add(new FieldError("version", RecordMessages.VersionRequired));
        if (errors.Count > 0) return WriteOutcome<RecordChange>.Invalid(errors, new(record));
        if (expectedVersion is { } v && v != record.Version)
            return Refused(WorkflowError.Conflict(RecordMessages.ChangedSince),
                new(record, OtherChange: await LastChangeAsync(record, ct)));

        var now = clock.GetUtcNow();
        db.Actor = new AuditActor(caller!.Name, caller.AuditRole, reason);
        if (right == WriteRight.Direct)
        {
            await kind.ApplyAsync(db, record.Id, values, ct);
            PinVersion(record);
            if (proposedSources is { Count: > 0 }) await ProposedSources.ApplyAsync(db, kind.CitedAs, record.Id,
                proposedSources, ct);
            await ProposedSources.StoreFilesAsync(db, sources, now, ct);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                var fresh = await kind.FindAsync(db, record.Id, ct);
                return Refused(WorkflowError.Conflict(RecordMessages.ChangedSince),
                    new(fresh, OtherChange: fresh is null ? null : await LastChangeAsync(fresh, ct)));
            }
            var written = new RecordChange(await kind.FindAsync(db, record.Id, ct));
            return create ? WriteOutcome<RecordChange>.Created(written) : WriteOutcome<RecordChange>.Done(written);
        }

        var published = create ? [] : await ProposedSources.CurrentAsync(db, kind.CitedAs, record.Id, ct);
        var submission = Submission.Start(caller, record, create, values, reason, now, published, proposedSources);
        if (submit) submission.Submit(caller, now);
        db.Submissions.Add(submission);
        if (submit) await SubmissionNotices.RaiseAsync(db, submission, SubmissionAction.Submitted, caller, now, ct);
        await ProposedSources.StoreFilesAsync(db, sources, now, ct);
        await db.SaveChangesAsync(ct);
        return WriteOutcome<RecordChange>.Proposed(new(record, submission));
    }

    /// <summary>
    /// The checks every proposed change passes, one by one or many at once: the values merged over the record's and
    /// checked, the writer's right to set them, the kind's own rules, and the sources (required unless a draft).
    /// </summary>
    private async Task<(SortedDictionary<string, string?> Values, List<FieldError> Errors,
        List<ProposedSource>? Sources)> CheckValuesAsync(Caller caller, RecordKind kind, EditableRecord record,
        WriteRight right, bool create, bool needsSources, IReadOnlyDictionary<string, string?> input,
        IReadOnlyList<SourceInput>? sources, CancellationToken ct)
    {
        var (values, errors) = RecordFields.Merge(kind.Fields, record.Values, input);
        errors.AddRange(kind.CheckWriter(caller, right, values).Where(e => errors.All(x => x.Field != e.Field)));
        errors.AddRange(
            (await kind.CheckAsync(db, record.Id, values, Today, ct)).Where(e => errors.All(x => x.Field != e.Field)));
        var (proposedSources, sourceErrors) = ProposedSources.Normalise(sources);
        errors.AddRange(sourceErrors);
        errors.AddRange(await ProposedSources.ResolveAsync(db, proposedSources, sources, ct));
        if (needsSources && ProposedSources.Missing(kind, create, record.Values, values, proposedSources) is { } missing)
            errors.Add(missing);
        return (values, errors, proposedSources);
    }

    /// <summary>
    /// Proposes changes to many records at once, as one write step: each checked as a proposal made through
    /// <see cref="ChangeAsync"/> would be (scope, values, the kind's own checks, sources), then — unless
    /// <paramref name="dryRun"/> — a submission per record, all submitted together in one transaction. With
    /// <paramref name="allOrNone"/>, one problem anywhere stores nothing; otherwise the proposals without problems are
    /// submitted. A proposal is always a submission, even the secretariat's: a spreadsheet's figures are validated like
    /// any other. A record with an open submission already (a second upload of the same sheet) is refused, checked under
    /// the writers' lock.
    /// </summary>
    public Task<IReadOnlyList<ProposalCheck>> ProposeAllAsync(Caller caller, IReadOnlyList<RecordProposal> proposals,
        string? reason, bool allOrNone, bool dryRun, LocalizedText about, CancellationToken ct = default) =>
        dryRun
            ? ProposeAllUnderLockAsync(caller, proposals, reason, allOrNone, true, about, ct)
            : db.WriteAsync(() => ProposeAllUnderLockAsync(caller, proposals, reason, allOrNone, false, about, ct), ct);

    private async Task<IReadOnlyList<ProposalCheck>> ProposeAllUnderLockAsync(Caller caller,
        IReadOnlyList<RecordProposal> proposals, string? reason, bool allOrNone, bool dryRun, LocalizedText about,
        CancellationToken ct)
    {
        var checks = new List<ProposalCheck>();
        var openKeys = new HashSet<(string, string)>();
        foreach (var kindName in proposals.Select(p => p.Kind).Distinct())
        {
            var ids = proposals.Where(p => p.Kind == kindName).Select(p => p.Id).ToList();
            foreach (var chunk in ids.Chunk(500))
                openKeys.UnionWith((await db.Submissions.AsNoTracking()
                    .Where(s => s.RecordKind == kindName && chunk.Contains(s.RecordId)
                        && (s.Status == SubmissionStatus.Draft || s.Status == SubmissionStatus.Submitted
                            || s.Status == SubmissionStatus.Returned || s.Status == SubmissionStatus.Validated))
                    .Select(s => s.RecordId).ToListAsync(ct)).Select(id => (kindName, id)));
        }
        foreach (var p in proposals)
        {
            if (RecordKind.Named(p.Kind) is not { } kind)
            {
                checks.Add(new(p, null, null, null, [new FieldError("id", RecordMessages.CannotCreate)]));
                continue;
            }
            EditableRecord? record;
            if (p.Create)
            {
                var (described, error) = await kind.DescribeNewAsync(db, p.Id, ct);
                if (error is { } code)
                {
                    checks.Add(new(p, kind, null, null, [new FieldError("id", code)]));
                    continue;
                }
                record = described!;
            }
            else if ((record = await kind.FindAsync(db, p.Id, ct)) is null)
            {
                checks.Add(new(p, kind, null, null, [new FieldError("id", RecordMessages.NotFound)]));
                continue;
            }
            var right = Access.WriteRightOn(caller, record.Scope);
            if (right == WriteRight.None)
            {
                checks.Add(new(p, kind, record, null, [new FieldError("id",
                    caller.SecondFactor ? RecordMessages.OutOfScope : AccessMessages.SecondFactorRequired)]));
                continue;
            }
            if (openKeys.Contains((p.Kind, record.Id)))
            {
                checks.Add(new(p, kind, record, null, [new FieldError("id", RecordMessages.OpenSubmission)]));
                continue;
            }
            var (values, errors, proposedSources) = await CheckValuesAsync(caller, kind, record, right, p.Create,
                needsSources: true, p.Input, p.Sources, ct);
            checks.Add(new(p, kind, record, values, errors, proposedSources));
        }
        var accepted = checks.Where(c => c.Errors.Count == 0).ToList();
        if (dryRun || accepted.Count == 0 || (allOrNone && accepted.Count < checks.Count)) return checks;

        var now = clock.GetUtcNow();
        db.Actor = new AuditActor(caller.Name, caller.AuditRole, reason);
        var saved = new List<ProposalCheck>();
        foreach (var c in checks)
        {
            if (c.Errors.Count > 0)
            {
                saved.Add(c);
                continue;
            }
            var published = c.Proposal.Create
                ? []
                : await ProposedSources.CurrentAsync(db, c.Kind!.CitedAs, c.Record!.Id, ct);
            var submission = Submission.Start(caller, c.Record!, c.Proposal.Create, c.Values!, reason, now, published,
                c.Sources);
            submission.Submit(caller, now);
            db.Submissions.Add(submission);
            saved.Add(c with { Submission = submission });
        }
        // Those who act next are told once, of all of them, in the same transaction.
        await SubmissionNotices.RaiseSubmittedAsync(db, [.. saved.Select(c => c.Submission).OfType<Submission>()],
            caller, about, now, ct);
        await db.SaveChangesAsync(ct);
        return saved;
    }

    /// <summary>
    /// The change is saved only over the version it was checked against: the record's row is updated where its version
    /// is still <paramref name="record"/>'s. The writers' lock already keeps other Caravan writes out between the read
    /// and the save; this also holds against a write made around it (SQL by hand), as a conflict (409).
    /// </summary>
    private void PinVersion(EditableRecord record)
    {
        foreach (var entry in db.ChangeTracker.Entries<IVersioned>()
                     .Where(e => e.State == EntityState.Modified && e.Entity is not Submission))
            if (entry.Metadata.FindPrimaryKey()?.Properties is [var key]
                && Equals(entry.Property(key.Name).CurrentValue, record.Id))
                entry.Property(nameof(IVersioned.Version)).OriginalValue = record.Version;
    }

    /// <summary>A submission the caller may see, or null — the same answer whether it exists or not.</summary>
    public async Task<Submission?> FindVisibleAsync(Caller? caller, string id, CancellationToken ct = default)
    {
        var submission = await db.Submissions.Include(s => s.Events).AsSplitQuery()
            .FirstOrDefaultAsync(s => s.Id == id, ct);
        return submission is not null && Access.CanSeeUnpublished(caller, submission.Scope) ? submission : null;
    }

    /// <summary>
    /// The submissions a caller may see: all for the secretariat, their state's or bodies' for others.
    /// </summary>
    public IQueryable<Submission> VisibleTo(Caller caller)
    {
        var all = db.Submissions.AsNoTracking();
        if (caller.IsSecretariat) return all;
        if (caller.Role == CaravanRole.NationalCoordinator && caller.StateId is { } state)
            return all.Where(s => s.StatesKey.Contains("|" + state + "|"));
        if (caller.Role == CaravanRole.ProgrammeOfficer)
        {
            var keys = caller.BodyIds.Select(b => "|" + b + "|").ToList();
            return keys.Aggregate(all.Where(_ => false),
                (q, key) => q.Union(all.Where(s => s.BodiesKey.Contains(key))));
        }
        return all.Where(_ => false);
    }

    /// <summary>The author reworks a draft or a returned submission (checked and saved as one step).</summary>
    public Task<WriteOutcome<RecordChange>> EditSubmissionAsync(Caller caller, string id,
        IReadOnlyDictionary<string, string?> input, string? reason, int? expectedVersion,
        CancellationToken ct = default,
        IReadOnlyList<SourceInput>? sources = null) =>
        db.WriteAsync(() => EditSubmissionUnderLockAsync(caller, id, input, reason, expectedVersion, ct, sources), ct);

    private async Task<WriteOutcome<RecordChange>> EditSubmissionUnderLockAsync(Caller caller, string id,
        IReadOnlyDictionary<string, string?> input, string? reason, int? expectedVersion, CancellationToken ct,
        IReadOnlyList<SourceInput>? sources)
    {
        var submission = await FindVisibleAsync(caller, id, ct);
        if (submission is null)
        {
            await RefuseAsync(caller, "submission", id, "edit", ct);
            return Refused(WorkflowError.NotFound());
        }
        if (!caller.SecondFactor || caller.ReadOnly)
        {
            await RefuseAsync(caller, "submission", id, "edit", ct);
            return Refused(
                WorkflowError.Forbidden(
                    caller.ReadOnly ? AccessMessages.ReadOnlyRefused : AccessMessages.SecondFactorRequired),
                        new(null, submission));
        }
        // Only the author may edit (the step's own check, first: a refusal says so whatever was sent); an edit names
        // the version it was made on.
        if (SubmissionSteps.Edit.Check(caller, submission) is { } notYours)
            return await RefusedStep(caller, submission, notYours, ct);
        if (expectedVersion is null)
            return WriteOutcome<RecordChange>.Invalid([new FieldError("version", RecordMessages.VersionRequired)],
                new(null, submission));
        if (expectedVersion != submission.Version)
            return Refused(WorkflowError.Conflict(SubmissionMessages.ChangedSince), new(null, submission));
        var kind = RecordKind.Named(submission.RecordKind)!;
        var current = submission.IsNew
            ? (await kind.DescribeNewAsync(db, submission.RecordId, ct)).Record
            : await kind.FindAsync(db, submission.RecordId, ct);
        if (current is null)
            return Refused(WorkflowError.Conflict(SubmissionMessages.RecordChanged), new(null, submission));
        var (values, errors) = RecordFields.Merge(kind.Fields, submission.Proposed, input);
        errors.AddRange(
            kind.CheckWriter(caller, WriteRight.Submit, values).Where(e => errors.All(x => x.Field != e.Field)));
        errors.AddRange(
            (await kind.CheckAsync(db, submission.RecordId, values, Today, ct))
                .Where(e => errors.All(x => x.Field != e.Field)));
        var (proposedSources, sourceErrors) = ProposedSources.Normalise(sources);
        errors.AddRange(sourceErrors);
        errors.AddRange(await ProposedSources.ResolveAsync(db, proposedSources, sources, ct));
        // A submitted change needs its sources; a draft is checked when it is submitted.
        if (submission.Status != SubmissionStatus.Draft
            && ProposedSources.Missing(kind, submission.IsNew, current.Values, values,
                proposedSources ?? submission.ProposedSources) is { } missing) errors.Add(missing);
        if (errors.Count > 0) return WriteOutcome<RecordChange>.Invalid(errors, new(current, submission));
        var published = submission.IsNew
            ? []
            : await ProposedSources.CurrentAsync(db, kind.CitedAs, submission.RecordId, ct);
        if (submission.Edit(caller, current, values, reason, clock.GetUtcNow(), published,
            proposedSources) is { } error) return await RefusedStep(caller, submission, error, ct);
        await ProposedSources.StoreFilesAsync(db, sources, clock.GetUtcNow(), ct);
        return await SaveStepAsync(caller, submission, reason, ct);
    }

    /// <summary>
    /// Submit, confirm, disagree, validate, return, publish, withdraw or comment, as one step under the writers' lock:
    /// a publication is checked against the ledger and the record as they stand when it is written.
    /// </summary>
    public Task<WriteOutcome<RecordChange>> ActAsync(Caller? caller, string id, SubmissionAction action,
        string? comment, int? expectedVersion, CancellationToken ct = default) =>
        db.WriteAsync(() => ActUnderLockAsync(caller, id, action, comment, expectedVersion, ct), ct);

    private async Task<WriteOutcome<RecordChange>> ActUnderLockAsync(Caller? caller, string id,
        SubmissionAction action, string? comment, int? expectedVersion, CancellationToken ct)
    {
        var submission = await FindVisibleAsync(caller, id, ct);
        var attempted = action.ToString().ToLowerInvariant();
        if (submission is null || caller is null)
        {
            await RefuseAsync(caller, "submission", id, attempted, ct);
            return Refused(WorkflowError.NotFound());
        }
        if (!caller.SecondFactor || caller.ReadOnly)
        {
            await RefuseAsync(caller, "submission", id, attempted, ct);
            return Refused(
                WorkflowError.Forbidden(
                    caller.ReadOnly ? AccessMessages.ReadOnlyRefused : AccessMessages.SecondFactorRequired),
                        new(null, submission));
        }
        if (expectedVersion is { } v && v != submission.Version)
            return Refused(WorkflowError.Conflict(SubmissionMessages.ChangedSince), new(null, submission));
        var now = clock.GetUtcNow();
        var kind = RecordKind.Named(submission.RecordKind)!;
        EditableRecord? record = null;
        // The steps are those of SubmissionSteps; publishing writes the record too, and a submission needs its sources.
        var error = SubmissionSteps.All.All(s => s.Action != action)
            ? WorkflowError.Invalid("action", SubmissionMessages.UnknownAction)
            : action == SubmissionAction.Published ? await PublishAsync()
            : (action == SubmissionAction.Submitted ? SourcesMissing() : null)
                ?? submission.Act(action, caller, comment, now);
        if (error is not null) return await RefusedStep(caller, submission, error, ct, record);
        // Those who may take the next step are told, in the same transaction as the step.
        await SubmissionNotices.RaiseAsync(db, submission, action, caller, now, ct);
        // The record's own history says whose proposal the secretariat published.
        var why = action == SubmissionAction.Published
            ? $"published submission {submission.Id} proposed by {submission.AuthorName} ({submission.AuthorRole})"
            : comment;
        return await SaveStepAsync(caller, submission, why, ct);

        async Task<WorkflowError?> PublishAsync()
        {
            record = await kind.FindAsync(db, submission.RecordId, ct);
            // Checked again against what was published since it was proposed (before the step, which would
            // mark it published): the first problem, with its figures.
            if (Access.CanValidate(caller) && submission.Status == SubmissionStatus.Validated && kind.RecheckOnPublish
                && (await kind.CheckAsync(db, submission.RecordId, submission.Proposed, Today, ct))
                    .FirstOrDefault() is { } stale)
                return new WorkflowError(WorkflowErrorKind.Conflict, stale.Message, stale.Field);
            // A proposal made before proposals carried sources is not published with the old figure's sources.
            if (Access.CanValidate(caller) && submission.Status == SubmissionStatus.Validated
                && SourcesMissing() is { } unsourced) return unsourced;
            var refused = submission.Publish(caller, record?.Version ?? 0, record is not null, now);
            if (refused is null)
            {
                var target = await kind.PublishedIdAsync(db, submission.RecordId, ct);
                await kind.ApplyAsync(db, target, submission.Proposed, ct);
                if (record is not null) PinVersion(record);
                if (submission.ProposedSources is { Count: > 0 } sources) await ProposedSources.ApplyAsync(db,
                    kind.CitedAs, target, sources, ct);
            }
            return refused;
        }

        WorkflowError? SourcesMissing() =>
            action == SubmissionAction.Published
                || (submission.IsAuthor(caller)
                    && submission.Status is SubmissionStatus.Draft or SubmissionStatus.Returned)
                ? ProposedSources.Missing(kind, submission.IsNew, submission.Published, submission.Proposed,
                    submission.ProposedSources) is { } e
                    ? new WorkflowError(WorkflowErrorKind.Invalid, e.Message, e.Field) : null
                : null;
    }

    private async Task<WriteOutcome<RecordChange>> SaveStepAsync(Caller caller, Submission submission, string? why,
        CancellationToken ct)
    {
        db.Actor = new AuditActor(caller.Name, caller.AuditRole, why);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Refused(WorkflowError.Conflict(SubmissionMessages.ChangedSince),
                new(null, await FindVisibleAsync(caller, submission.Id, ct)));
        }
        return WriteOutcome<RecordChange>.Proposed(new(null, submission));
    }

    private async Task<WriteOutcome<RecordChange>> RefusedStep(Caller caller, Submission submission,
        WorkflowError error, CancellationToken ct, EditableRecord? record = null)
    {
        db.ChangeTracker.Clear();
        if (error.Kind == WorkflowErrorKind.Forbidden)
            await RefuseAsync(caller, "submission", submission.Id, error.Code.Key, ct);
        AuditEntry? other = null;
        if (error.Code == SubmissionMessages.RecordChanged && record is not null)
            other = await LastChangeAsync(record, ct);
        return Refused(error, new(record, submission, other));
    }

    /// <summary>A refusal as the one write outcome: its kind decides the answer, its message is the problem.</summary>
    private static WriteOutcome<RecordChange> Refused(WorkflowError error, RecordChange? value = null)
        => WriteOutcome<RecordChange>.Refused(error.Kind switch
    {
        WorkflowErrorKind.Forbidden => ChangeOutcome.Forbidden,
        WorkflowErrorKind.Invalid => ChangeOutcome.Invalid,
        WorkflowErrorKind.NotFound => ChangeOutcome.NotFound,
        _ => ChangeOutcome.Conflict,
    }, error.Problem, value);

    /// <summary>
    /// A refused attempt is evidence too: it is appended to the audit trail, with nothing else stored.
    /// </summary>
    public async Task RefuseAsync(Caller? caller, string subjectType, string subjectId, string attempted,
        CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await AuditRecorder.AppendRefusalAsync(db,
            caller is null
                ? AuditActor.Anonymous
                : new AuditActor(caller.Name, caller.AuditRole, null), subjectType, subjectId, attempted,
                clock.GetUtcNow(), ct);
    }

    /// <summary>The latest audited change to a record, to show the person whose save conflicted with it.</summary>
    public Task<AuditEntry?> LastChangeAsync(EditableRecord record, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking()
            .Where(a => a.SubjectType == record.AuditSubjectType && a.SubjectId == record.Id && a.Action != "refused")
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
}
