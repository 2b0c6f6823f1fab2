using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Projects;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Projects;

/// <summary>
/// <c>/projects/bulk</c>: the secretariat uploads a project sheet (CSV or XLSX), checks it with a dry run,
/// stores it all or nothing, and reads the report row by row in its own language. The same rules as
/// <c>POST /api/v1/projects/bulk</c> (<see cref="ProjectBulk"/>).
/// </summary>
[Authorize(Policy = AccountSetup.Secretariat)]
[RequestSizeLimit(ProjectSheetApi.MaxUpload)]
[RequestFormLimits(MultipartBodyLengthLimit = ProjectSheetApi.MaxUpload)]
public sealed class BulkModel(CaravanDbContext db, IConfiguration config, IStringLocalizer<SharedResource> l)
    : PageModel
{
    /// <summary>Checked on a fresh form: checking before storing is the safe default.</summary>
    public bool DryRun { get; private set; } = true;
    public SheetReport? Report { get; private set; }
    public string? FileName { get; private set; }
    public List<FormProblem> Problems { get; } = [];

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, bool dryRun, CancellationToken ct)
    {
        var caller = HttpContext.GetCaller();
        if (!Access.CanBulkEditProjects(caller)) return Forbid();
        DryRun = dryRun;
        if (file is not { Length: > 0 })
        {
            Problems.Add(new FormProblem("file", l["projects.file-required"]));
            return Page();
        }
        await using var stream = file.OpenReadStream();
        var upload = await ProjectSheetApi.FromStreamAsync(stream, file.FileName, file.ContentType, ct);
        if (upload.Error is { } error)
        {
            Problems.Add(new FormProblem("file", MessageFormatter.Format(l, error.Message)));
            return Page();
        }
        FileName = upload.FileName;
        Report = await ProjectBulk.RunAsync(db, upload.Bytes!, ProjectSheetApi.Options(upload, dryRun, config,
            caller!), ct);
        return Page();
    }
}
