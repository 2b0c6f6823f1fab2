using System.Runtime.CompilerServices;
using System.Text.Json;
using Caravan.Features.Commitments;
using Caravan.Features.Documents;
using Caravan.Features.Indicators;
using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Caravan.Features.Money;
using Caravan.Features.Partnerships;
using Caravan.Features.Programmes;
using Caravan.Features.Projects;
using Caravan.Features.Sources;
using Caravan.Features.Treaties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using static Caravan.Features.OpenData.OpenDataValues;

namespace Caravan.Features.OpenData;

/// <summary>
/// The tables a release publishes, in the order they are written. Only the mechanism's published records are here:
/// the live record tables hold what was published (proposals wait in submissions, which are never exported), and
/// projects are exported only when published and not staged by an import that has not completed. Accounts, the
/// audit trail, sessions, keys, notifications, submissions, import runs, selections and rounds are not published
/// data and have no table here; a test fails if one appears (<c>OpenDataTests</c>). Columns naming a person
/// (who recorded a ledger entry, who took a snapshot) are left out.
/// </summary>
public static class OpenDataCatalog
{
    /// <summary>The entity types a release reads (for the test that no private table is published).</summary>
    public static readonly IReadOnlyDictionary<Type, string> Published = new Dictionary<Type, string>
    {
        [typeof(MemberState)] = "member-states",
        [typeof(Body)] = "bodies",
        [typeof(Meeting)] = "meetings",
        [typeof(PriorityDirection)] = "priority-directions",
        [typeof(OutcomeDocument)] = "documents",
        [typeof(DocumentParty)] = "document-parties",
        [typeof(PledgedMeasure)] = "measures",
        [typeof(ReportingPeriod)] = "reporting-periods",
        [typeof(Commitment)] = "commitments",
        [typeof(Milestone)] = "milestones",
        [typeof(ComplianceAssessment)] = "assessments",
        [typeof(Snapshot)] = "snapshots",
        [typeof(RatificationStep)] = "ratification-steps",
        [typeof(Programme)] = "programmes",
        [typeof(ProgrammeEntry)] = "programme-entries",
        [typeof(Partnership)] = "partnerships",
        [typeof(Indicator)] = "indicators",
        [typeof(IndicatorValue)] = "indicator-values",
        [typeof(ReportedFigure)] = "reported-figures",
        [typeof(Source)] = "sources",
        [typeof(Citation)] = "citations",
        [typeof(ExchangeRate)] = "exchange-rates",
        [typeof(Project)] = "projects",
        [typeof(ProjectTransaction)] = "project-transactions",
        [typeof(ProjectCountry)] = "project-countries",
        [typeof(ProjectCommitment)] = "project-commitments",
    };

    /// <summary>Citations of these kinds of record are published (each kind's records are).</summary>
    private static readonly string[] CitedKinds =
    [
        SubjectTypes.MemberState, SubjectTypes.Body, SubjectTypes.Meeting, SubjectTypes.Document,
        SubjectTypes.Direction, SubjectTypes.Measure, SubjectTypes.IndicatorValue, SubjectTypes.ReportedFigure,
        SubjectTypes.RatificationStep, SubjectTypes.Commitment, SubjectTypes.Assessment, SubjectTypes.Milestone,
        SubjectTypes.Programme, SubjectTypes.Partnership, SubjectTypes.ProgrammeEntry,
    ];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, List<OpenDataTable>> Built = new();

    /// <summary>Every table, in the release's order (built once per model: each provider has its own).</summary>
    public static IReadOnlyList<OpenDataTable> Tables(IModel model) => Built.GetValue(model, Build);

    private static OpenDataForeignKey Ref(string field, string resource) => new([field], resource, ["id"]);

    private static List<OpenDataTable> Build(IModel m)
    {
        var p = Published;
        return
        [
            EntityTables.Of<MemberState>(m, "member-states", "Member states", p),
            EntityTables.Of<Body>(m, "bodies", "Bodies: platforms, centres, the secretariat", p),
            EntityTables.Of<Meeting>(m, "meetings", "Meetings", p, omit: []),
            EntityTables.Of<PriorityDirection>(m, "priority-directions", "Priority directions", p),
            EntityTables.Of<OutcomeDocument>(m, "documents", "Outcome documents", p),
            EntityTables.Of<DocumentParty>(m, "document-parties", "Parties to documents", p),
            EntityTables.Of<PledgedMeasure>(m, "measures", "Pledged measures", p),
            EntityTables.Of<ReportingPeriod>(m, "reporting-periods", "Reporting periods", p),
            EntityTables.Of<Commitment>(m, "commitments", "Commitments", p,
                references: [Ref("direction_id", "priority-directions"), Ref("document_id", "documents"),
                    Ref("first_period_id", "reporting-periods")]),
            EntityTables.Of<Milestone>(m, "milestones", "Milestones of commitments", p),
            EntityTables.Of<ComplianceAssessment>(m, "assessments", "Assessments: each party's score per period", p),
            EntityTables.Of<Snapshot>(m, "snapshots", "Snapshots: status as at the close of a period", p,
                omit: [nameof(Snapshot.TakenBy), nameof(Snapshot.AuditHeadId), nameof(Snapshot.AuditHeadSeal),
                    nameof(Snapshot.Items)],
                filter: (q, s) => q.Where(x => s.SnapshotIds.Contains(x.Id))),
            SnapshotItems(),
            SnapshotScores(),
            EntityTables.Of<RatificationStep>(m, "ratification-steps", "Treaty ratification steps", p),
            EntityTables.Of<Programme>(m, "programmes", "Programmes (pledged quotas and funds)", p),
            EntityTables.Of<ProgrammeEntry>(m, "programme-entries", "Programme ledger entries", p,
                omit: [nameof(ProgrammeEntry.RecordedBy)]),
            EntityTables.Of<Partnership>(m, "partnerships", "Partnerships (sister cities, provinces, institutions)", p),
            EntityTables.Of<Indicator>(m, "indicators", "Indicators", p),
            EntityTables.Of<IndicatorValue>(m, "indicator-values", "Indicator values", p),
            EntityTables.Of<ReportedFigure>(m, "reported-figures", "Figures reported by the mechanism", p),
            EntityTables.Of<Source>(m, "sources", "Sources", p),
            Citations(m),
            EntityTables.Of<ExchangeRate>(m, "exchange-rates", "Exchange rates, each with its source", p),
            Projects(),
            ProjectTransactions(),
            ProjectCountries(),
            ProjectCommitments(),
        ];
    }

    private static OpenDataTable Citations(IModel model)
    {
        OpenDataField[] fields =
        [
            new("subject_type", "string", true, Description: "The kind of record cited for (commitment, assessment…)"),
            new("subject_id", "string", true), new("source_id", "string", true),
            FieldOf("confidence", typeof(Confidence), true),
        ];
        return new("citations", "Citations: which source each record's facts come from", fields,
            ["subject_type", "subject_id", "source_id"], [Ref("source_id", "sources")], Rows);

        static async IAsyncEnumerable<string?[]> Rows(ReleaseScope s, [EnumeratorCancellation] CancellationToken ct)
        {
            var query = s.Db.Citations.AsNoTracking().Where(c => CitedKinds.Contains(c.SubjectType))
                .OrderBy(c => c.SubjectType).ThenBy(c => c.SubjectId).ThenBy(c => c.SourceId)
                .Select(c => new { c.SubjectType, c.SubjectId, c.SourceId, c.Confidence });
            await foreach (var c in query.AsAsyncEnumerable().WithCancellation(ct))
                yield return [c.SubjectType, c.SubjectId, c.SourceId, Of(c.Confidence)];
        }
    }

    private static OpenDataTable SnapshotItems()
    {
        OpenDataField[] fields =
        [
            new("snapshot_id", "string", true), new("commitment_id", "string", true),
            FieldOf("status", typeof(CommitmentStatus), true),
            new("collective", "number", Description: "The collective score (-1 to +1); empty when not assessed"),
        ];
        return new("snapshot-items", "Each commitment's status in each snapshot", fields,
            ["snapshot_id", "commitment_id"], [Ref("snapshot_id", "snapshots")], (s, ct) => SnapshotRows(s,
                (id, i) => [[id, i.CommitmentId, Of(i.Status), Of(i.Collective)]], ct));
    }

    private static OpenDataTable SnapshotScores()
    {
        OpenDataField[] fields =
        [
            new("snapshot_id", "string", true), new("commitment_id", "string", true),
            new("state_id", "string", true), new("score", "integer", true),
        ];
        return new("snapshot-scores", "Each party's score in each snapshot", fields,
            ["snapshot_id", "commitment_id", "state_id"],
            [Ref("snapshot_id", "snapshots"), Ref("state_id", "member-states")], (s, ct) => SnapshotRows(s,
                (id, i) => i.Scores.OrderBy(x => x.Key, StringComparer.Ordinal)
                    .Select(x => new string?[] { id, i.CommitmentId, x.Key, Text(x.Value) }), ct));
    }

    /// <summary>The snapshots' frozen items (JSON in each snapshot's row), one snapshot in memory at a time.</summary>
    private static async IAsyncEnumerable<string?[]> SnapshotRows(ReleaseScope s,
        Func<string, SnapshotItem, IEnumerable<string?[]>> rows, [EnumeratorCancellation] CancellationToken ct)
    {
        var ids = s.SnapshotIds.Order(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            var snapshot = await s.Db.Snapshots.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
            if (snapshot is null) continue;
            foreach (var item in snapshot.Items.OrderBy(i => i.CommitmentId, StringComparer.Ordinal))
                foreach (var row in rows(id, item)) yield return row;
        }
    }

    private static OpenDataTable Projects()
    {
        OpenDataField[] fields =
        [
            new("iati_identifier", "string", true), new("reporting_org_ref", "string"),
            new("title_en", "string"), new("title_ru", "string"), new("title_zh", "string"),
            new("status", "string", Description: "IATI ActivityStatus code"),
            FieldOf("stage", typeof(ProjectStage), true),
            new("planned_start", "date"), new("actual_start", "date"), new("planned_end", "date"),
            new("actual_end", "date"), new("dates_estimated", "boolean", true),
            new("amounts_estimated", "boolean", true), new("default_currency", "string"),
            new("direction_id", "string"), new("parent_identifier", "string"), new("is_umbrella", "boolean", true),
            new("transaction_count", "integer", true), new("updated_at", "datetime", true),
        ];
        return new("projects", "Projects (the activities are in iati-activities.xml)", fields, ["iati_identifier"],
            [Ref("direction_id", "priority-directions")], Rows);

        static async IAsyncEnumerable<string?[]> Rows(ReleaseScope s, [EnumeratorCancellation] CancellationToken ct)
        {
            var query = s.Db.Projects.AsNoTracking().Where(x => x.Published && !x.Staged).OrderBy(x => x.IatiIdentifier)
                .Select(x => new { x.IatiIdentifier, x.ReportingOrgRef, x.Titles, x.Status, Stage = x.StageOverride ?? x.Stage,
                    x.PlannedStart, x.ActualStart, x.PlannedEnd, x.ActualEnd, x.DatesEstimated, x.AmountsEstimated,
                    x.DefaultCurrency, x.DirectionId, x.ParentIdentifier, x.IsUmbrella, x.TransactionCount,
                    x.UpdatedAt });
            await foreach (var x in query.AsAsyncEnumerable().WithCancellation(ct))
            {
                var titles = JsonSerializer.Deserialize(x.Titles, TitleJson.Default.ListIatiNarrative) ?? [];
                string? Title(string language) =>
                    titles.FirstOrDefault(t => t.Language == language && !string.IsNullOrEmpty(t.Text))?.Text;
                yield return [x.IatiIdentifier, x.ReportingOrgRef, Title("en"), Title("ru"), Title("zh"), x.Status,
                    Of(x.Stage), Of(x.PlannedStart), Of(x.ActualStart), Of(x.PlannedEnd), Of(x.ActualEnd),
                    Text(x.DatesEstimated), Text(x.AmountsEstimated), x.DefaultCurrency, x.DirectionId,
                    x.ParentIdentifier, Text(x.IsUmbrella), Text(x.TransactionCount), Text(x.UpdatedAt)];
            }
        }
    }

    private static readonly OpenDataForeignKey ProjectRef = new(["iati_identifier"], "projects", ["iati_identifier"]);

    /// <summary>A project's rows named by its IATI identifier (the database's own row number is not published).</summary>
    private static IQueryable<Project> PublishedProjects(ReleaseScope s) =>
        s.Db.Projects.AsNoTracking().Where(x => x.Published && !x.Staged);

    private static OpenDataTable ProjectTransactions()
    {
        OpenDataField[] fields =
        [
            new("iati_identifier", "string", true),
            new("seq", "integer", true, Description: "The transaction's place in its activity"),
            new("type", "string", true, Description: "IATI TransactionType code"), new("date", "date", true),
            new("amount", "number", true), new("currency", "string", true), new("value_date", "date", true),
        ];
        return new("project-transactions", "Project transactions, in their original currency", fields,
            ["iati_identifier", "seq"], [ProjectRef], Rows);

        static async IAsyncEnumerable<string?[]> Rows(ReleaseScope s, [EnumeratorCancellation] CancellationToken ct)
        {
            var query = PublishedProjects(s).Join(s.Db.ProjectTransactions, x => x.Id, t => t.ProjectId,
                    (x, t) => new { x.IatiIdentifier, t.Seq, t.Type, t.Date, t.Amount, t.Currency, t.ValueDate })
                .OrderBy(t => t.IatiIdentifier).ThenBy(t => t.Seq);
            await foreach (var t in query.AsAsyncEnumerable().WithCancellation(ct))
                yield return [t.IatiIdentifier, Text(t.Seq), t.Type, Text(t.Date), Text(t.Amount), t.Currency,
                    Text(t.ValueDate)];
        }
    }

    private static OpenDataTable ProjectCountries()
    {
        OpenDataField[] fields =
        [
            new("iati_identifier", "string", true), new("country_code", "string", true),
            new("percentage", "number", true),
        ];
        return new("project-countries", "Recipient countries of projects, with their shares", fields,
            ["iati_identifier", "country_code"], [ProjectRef], Rows);

        static async IAsyncEnumerable<string?[]> Rows(ReleaseScope s, [EnumeratorCancellation] CancellationToken ct)
        {
            var query = PublishedProjects(s).Join(s.Db.ProjectCountries, x => x.Id, c => c.ProjectId,
                    (x, c) => new { x.IatiIdentifier, c.CountryCode, c.Percentage })
                .OrderBy(c => c.IatiIdentifier).ThenBy(c => c.CountryCode);
            await foreach (var c in query.AsAsyncEnumerable().WithCancellation(ct))
                yield return [c.IatiIdentifier, c.CountryCode, Text(c.Percentage)];
        }
    }

    private static OpenDataTable ProjectCommitments()
    {
        OpenDataField[] fields = [new("iati_identifier", "string", true), new("commitment_id", "string", true)];
        return new("project-commitments", "Commitments each project delivers", fields,
            ["iati_identifier", "commitment_id"], [ProjectRef, Ref("commitment_id", "commitments")], Rows);

        static async IAsyncEnumerable<string?[]> Rows(ReleaseScope s, [EnumeratorCancellation] CancellationToken ct)
        {
            var query = PublishedProjects(s).Join(s.Db.ProjectCommitments, x => x.Id, c => c.ProjectId,
                    (x, c) => new { x.IatiIdentifier, c.CommitmentId })
                .OrderBy(c => c.IatiIdentifier).ThenBy(c => c.CommitmentId);
            await foreach (var c in query.AsAsyncEnumerable().WithCancellation(ct))
                yield return [c.IatiIdentifier, c.CommitmentId];
        }
    }
}
