using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Money;
using Caravan.Features.Projects;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Projects;

/// <summary>
/// The secretariat uploads an IATI file (or a table of exchange rates) and reads the report in its language.
/// </summary>
[Authorize(Policy = AccountSetup.Secretariat)]
[RequestFormLimits(MultipartBodyLengthLimit = long.MaxValue)]
[DisableRequestSizeLimit] // the configured Caravan:Projects:MaxImportBytes applies, checked while reading
public sealed class ImportModel(CaravanDbContext db, IConfiguration configuration, IStringLocalizer<SharedResource> l)
    : PageModel
{
    public ImportReportDto? Report { get; private set; }
    public List<RateProblemDto> RateProblems { get; } = [];
    public (int Added, int Replaced)? RatesStored { get; private set; }
    public string? Error { get; private set; }
    public List<ImportRun> Runs { get; private set; } = [];
    public int RateCount { get; private set; }
    public long MaxBytes => ProjectSettings.Read(configuration).MaxImportBytes;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostIatiAsync(IFormFile? file, bool strict, bool draft,
        bool keepPartial, CancellationToken ct)
    {
        var caller = HttpContext.GetCaller();
        if (!Access.CanValidate(caller)) return Forbid();
        var settings = ProjectSettings.Read(configuration);
        if (file is not { Length: > 0 }) Error = l["projects.import.file-required"];
        else if (file.Length > settings.MaxImportBytes) Error = ImportApi.TooLarge(l, settings);
        else
        {
            db.Actor = new Caravan.Features.Audit.AuditActor(caller!.Name, caller.AuditRole, "imported an IATI file");
            await using var stream = file.OpenReadStream();
            var report = await IatiImport.RunAsync(db, stream, new IatiImportOptions
            {
                Strict = strict, Publish = !draft, FileName = Path.GetFileName(file.FileName),
                By = caller.Name, MaxBytes = settings.MaxImportBytes, Schema = ImportApi.Schema(settings),
                Limits = UploadSettings.Read(configuration),
                KeepPartial = keepPartial,
            }, ct);
            Report = ImportApi.ToDto(report, Path.GetFileName(file.FileName), l);
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRatesAsync(IFormFile? file, CancellationToken ct)
    {
        var caller = HttpContext.GetCaller();
        if (!Access.CanValidate(caller)) return Forbid();
        if (file is not { Length: > 0 }) Error = l["projects.import.file-required"];
        else
        {
            await using var upload = file.OpenReadStream();
            var (rates, problems) = await RateCsv.ParseAsync(upload, ct);
            RateProblems.AddRange(problems.Select(p =>
                new RateProblemDto(p.Row, p.Column, MessageFormatter.Format(l, p.Message))));
            if (problems.Count == 0)
            {
                db.Actor = new Caravan.Features.Audit.AuditActor(caller!.Name, caller.AuditRole,
                    "imported exchange rates");
                RatesStored = await Caravan.Features.Projects.ProjectTotalCells.StoreRatesAsync(db, rates, ct);
            }
        }
        await LoadAsync();
        return Page();
    }

    /// <summary>A run's status and, when it failed, why, in the reader's language.</summary>
    public string StatusOf(ImportRun run) => ImportApi.Reason(run, l) is { } reason
        ? l["projects.import.status-with-reason", l["projects.import.status." + run.Status], reason]
        : l["projects.import.status." + run.Status];

    private async Task LoadAsync()
    {
        // A run left running by a process that is gone is failed (and its staged rows removed) before it is shown.
        await ImportRunLog.RecoverAsync(db);
        Runs = await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(20).ToListAsync();
        RateCount = await db.ExchangeRates.CountAsync();
    }
}
