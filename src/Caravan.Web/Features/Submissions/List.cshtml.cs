using Caravan.Features.Seed;
using Caravan.Features.Submissions;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Submissions;

/// <summary>The queue: for the secretariat every open submission, for others their state's or bodies'.</summary>
[Authorize(Policy = AccountSetup.Writer)]
public sealed class ListModel(RecordEditor editor) : PageModel
{
    [FromQuery] public string Status { get; set; } = "open";
    public List<Submission> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var q = editor.VisibleTo(HttpContext.GetCaller()!);
        if (Status == "open") q = q.Where(s => s.Status == SubmissionStatus.Submitted ||
            s.Status == SubmissionStatus.Validated || s.Status == SubmissionStatus.Draft ||
            s.Status == SubmissionStatus.Returned);
        else if (SeedEnums.TryParse<SubmissionStatus>(Status, out var status)) q = q.Where(s => s.Status == status);
        else Status = "all";
        Items = [.. (await q.ToListAsync(ct)).OrderByDescending(s => s.UpdatedAt).Take(500)];
    }
}
