using Caravan.Data;
using Caravan.Features.Reports;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Reports;

/// <summary>
/// <c>/reports</c>: the secretariat chooses a closed snapshot, a language, a format and a currency, and downloads the
/// summit progress report. A refused choice is said on the page, naming what exists.
/// </summary>
[Authorize(Policy = AccountSetup.Secretariat)]
public sealed class IndexModel(CaravanDbContext db, ReportMaker maker, IStringLocalizer<SharedResource> l) : PageModel
{
    [FromQuery] public string? Snapshot { get; set; }
    [FromQuery] public string? Lang { get; set; }
    [FromQuery] public string? Format { get; set; }
    [FromQuery] public string? Currency { get; set; }

    /// <summary>The closed snapshots, latest first, with their periods' names and the day each was taken.</summary>
    public List<(string Id, LocalizedText Period, DateTimeOffset TakenAt)> Snapshots { get; private set; } = [];
    public ReportChoices Choices { get; private set; } = new([], [], [], []);
    /// <summary>Why the last request was refused, in the reader's language (null: none).</summary>
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnGetDownloadAsync(CancellationToken ct)
    {
        if (!ReportsFeature.CanGet(HttpContext.GetCaller())) return Forbid();
        var (file, refusal) = await maker.MakeAsync(Snapshot ?? "", Lang, Format, Currency, ReportsFeature.Words, ct);
        if (file is not null)
        {
            Response.Headers.CacheControl = "private, no-store";
            return File(file.Bytes, file.ContentType, file.FileName);
        }
        Error = MessageFormatter.Format(l, refusal!.Message);
        ErrorField = refusal.Field;
        Response.StatusCode = refusal.Status;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Choices = await maker.ChoicesAsync(ct);
        var rows = await db.Snapshots.AsNoTracking()
            .Join(db.ReportingPeriods, s => s.PeriodId, p => p.Id, (s, p) => new { s.Id, p.Name, p.Order, s.TakenAt })
            .ToListAsync(ct);
        Snapshots = [.. rows.OrderByDescending(r => r.Order).Select(r => (r.Id, r.Name, r.TakenAt))];
        Lang ??= Display.Language;
        Format ??= "docx";
        Currency ??= ReportMaker.DefaultCurrency;
    }
}
