using Caravan.Features.Documents;
using Caravan.Features.Mechanism;
using Caravan.Features.Seed;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Documents;

/// <summary>
/// Documents with filters by meeting, kind, scope and party. An invalid filter value is named, not ignored.
/// </summary>
// Cached until documents, states or meetings, commitments or sources change.
[Caravan.Web.Infrastructure.DependsOn(typeof(Caravan.Features.Documents.OutcomeDocument),
    typeof(Caravan.Features.Mechanism.MemberState), typeof(Caravan.Features.Commitments.Commitment),
    typeof(Caravan.Features.Sources.Source))]
public sealed class ListModel(DocumentQueries documents, MechanismQueries mechanism) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Meeting { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Scope { get; set; }
    [BindProperty(SupportsGet = true)] public string? Party { get; set; }

    public List<OutcomeDocument> Documents { get; private set; } = [];
    public List<Meeting> Meetings { get; private set; } = [];
    public List<MemberState> States { get; private set; } = [];
    public List<string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Meetings = (await mechanism.MeetingsAsync(new MeetingFilter(), ct))
            .Where(m => m.Status == MeetingStatus.Held).ToList();
        States = await mechanism.StatesAsync(ct);
        Meeting = Blank(Meeting);
        Kind = Blank(Kind);
        Scope = Blank(Scope);
        Party = Blank(Party)?.ToUpperInvariant();
        if (Meeting is not null && Meetings.All(m => m.Id != Meeting)) Errors.Add($"meeting={Meeting}");
        DocumentKind? kind = null;
        if (Kind is not null)
        {
            if (SeedEnums.TryParse<DocumentKind>(Kind, out var k)) kind = k; else Errors.Add($"kind={Kind}");
        }
        DocumentScope? scope = null;
        if (Scope is not null)
        {
            if (SeedEnums.TryParse<DocumentScope>(Scope, out var s)) scope = s; else Errors.Add($"scope={Scope}");
        }
        if (Party is not null && !MemberState.Codes.Contains(Party)) Errors.Add($"party={Party}");
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Documents = await documents.ListAsync(new DocumentFilter(Meeting, kind, scope, Party), ct);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
