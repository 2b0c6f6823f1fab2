using Caravan.Features.Audit;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Audit;

/// <summary>The secretariat's view of the audit trail: filter by person, action, record and dates.</summary>
[Authorize(Policy = AccountSetup.Secretariat)]
public sealed class LogModel(AuditQueries audit) : PageModel
{
    [FromQuery] public string? Actor { get; set; }
    [FromQuery] public string? Action { get; set; }
    [FromQuery] public string? SubjectType { get; set; }
    [FromQuery] public string? SubjectId { get; set; }
    [FromQuery] public string? From { get; set; }
    [FromQuery] public string? To { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public int PageSize => 50;
    public List<AuditEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public (long Id, string Hash)? Anchor { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        var filter = new AuditFilter(Blank(Actor), null, AuditApi.Actions.Contains(Action) ? Action : null,
            Blank(SubjectType), Blank(SubjectId), Day(From), Day(To)?.AddDays(1));
        (Entries, Total) = await audit.SearchAsync(filter, PageNumber, PageSize, ct);
        Anchor = await audit.AnchorAsync(ct);
    }

    public string PageLink(int page) => QueryString.Create(Request.Query.Where(q => q.Key != "page")
        .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
        .Append(KeyValuePair.Create("page", (string?)page.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .ToString();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    private static DateTimeOffset? Day(string? s) => DateOnly.TryParseExact(s, "yyyy-MM-dd", out var d)
        ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
        : null;
}
