using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Mechanism;
using Caravan.Features.Programmes;
using Caravan.Features.Sources;
using Caravan.Features.Submissions;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Programmes;

/// <summary>
/// A programme's page: the pledge with its sources, a row per state, the burn-up, the published entries,
/// and — for those whose business it is — the entries awaiting validation and the form to record one.
/// </summary>
public sealed class DetailModel(ProgrammeQueries programmes, MechanismQueries mechanism, CitationQueries citations,
    CaravanDbContext db) : PageModel
{
    public ProgrammeView? View { get; private set; }
    public Meeting? Meeting { get; private set; }
    public Body? Body { get; private set; }
    public IReadOnlyList<CitedSource> Sources { get; private set; } = [];
    /// <summary>Each published entry's own sources.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> EntrySources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    /// <summary>Open submissions of entries the reader may see (none for the public).</summary>
    public List<Submission> Pending { get; private set; } = [];
    public EntryForm? Form { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        View = await programmes.GetAsync(id, ct);
        if (View is null) return NotFound();
        var p = View.Programme;
        Meeting = p.MeetingId is { } m ? await mechanism.MeetingAsync(m, ct) : null;
        Body = p.BodyId is { } b ? await mechanism.BodyAsync(b, ct) : null;
        Sources = (await citations.ForAsync(SubjectTypes.Programme, [id], ct)).GetValueOrDefault(id) ?? [];
        EntrySources = await citations.ForAsync(SubjectTypes.ProgrammeEntry, View.Entries.Select(e => e.Id), ct);
        var me = HttpContext.GetCaller();
        if (me is not null)
        {
            Pending = await PendingAsync(db, me, id, ct);
            Form = await EntryForm.ForAsync(me, p, mechanism, ct);
        }
        return Page();
    }

    public static async Task<List<Submission>> PendingAsync(CaravanDbContext db, Caller me, string programmeId,
        CancellationToken ct)
    {
        var prefix = programmeId + ":";
        SubmissionStatus[] open = [SubmissionStatus.Draft, SubmissionStatus.Submitted, SubmissionStatus.Returned,
            SubmissionStatus.Validated];
        var found = await db.Submissions.AsNoTracking().Include(s => s.Events)
            .Where(s => s.RecordKind == ProgrammeEntry.RecordKind && s.RecordId.StartsWith(prefix) &&
                open.Contains(s.Status)).ToListAsync(ct);
        // Drafts are their author's; the rest are for whoever may see the state's or body's unpublished work.
        return [.. found.Where(s => Access.CanSeeUnpublished(me, s.Scope) &&
            (s.Status != SubmissionStatus.Draft || s.IsAuthor(me)))
            .OrderBy(s => s.Proposed.GetValueOrDefault("on"), StringComparer.Ordinal)
                .ThenBy(s => s.Id, StringComparer.Ordinal)];
    }
}
