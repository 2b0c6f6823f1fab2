using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Submissions;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Audit;

/// <summary>
/// The history tab of a record: every published change, when, by which role, before and after, from the
/// audit trail. The public sees roles; the secretariat also sees who and why.
/// </summary>
public sealed class HistoryModel(CaravanDbContext db, AuditQueries audit) : PageModel
{
    public EditableRecord? Record { get; private set; }
    public List<AuditEntry> Entries { get; private set; } = [];
    public bool ShowActor { get; private set; }
    /// <summary>The sources the history's citation entries name, so that each reads as a title, not an id.</summary>
    public Dictionary<string, Caravan.Features.Sources.Source> CitedSources { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string kind, string id, CancellationToken ct)
    {
        if (RecordKind.Named(kind) is not { } k || await k.FindAsync(db, id, ct) is not { } record) return NotFound();
        Record = record;
        ShowActor = Access.CanReadAuditLog(HttpContext.GetCaller());
        Entries = [.. (await audit.HistoryAsync(record.AuditSubjectType, record.Id, ct, citedAs: k.CitedAs))
            .Where(e => ShowActor || e.Action != "refused")];
        var ids = Entries.Where(e => e.SubjectType == "citation").SelectMany(e => new[] { e.Before, e.After })
            .Select(SourceIdOf).OfType<string>().Distinct().ToList();
        CitedSources = await db.Sources.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        return Page();
    }

    private static string? SourceIdOf(string? json) =>
        json is not null && System.Text.Json.JsonDocument.Parse(json).RootElement.TryGetProperty("SourceId", out var id)
            ? id.GetString()
            : null;
}
