using System.Text.RegularExpressions;
using Caravan.Features.Partnerships;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Partnerships;

/// <summary>
/// The first step of recording a partnership: its two states and a short name make its id
/// (<c>kz-cn-oskemen-…</c>), checked here in the reader's language; the record's own form
/// (<c>/work/partnerships/new</c>) follows.
/// A GET form: it changes nothing.
/// </summary>
[Authorize(Policy = AccountSetup.Writer)]
public sealed partial class ProposeModel(IStringLocalizer<SharedResource> l) : PageModel
{
    [FromQuery(Name = "state-a")] public string? StateA { get; set; }
    [FromQuery(Name = "state-b")] public string? StateB { get; set; }
    [FromQuery(Name = "name")] public string? Name { get; set; }
    public List<FormProblem> Problems { get; } = [];

    public IActionResult OnGet()
    {
        var me = HttpContext.GetCaller();
        StateA ??= me?.StateId;
        if (Request.Query.Count == 0 || Name is null && Request.Query.Keys.All(k => k == "culture")) return Page();
        var slug = Slugify(Name);
        if (slug.Length == 0) Problems.Add(new("name", l["partnership.name-required"]));
        var id = $"{StateA?.ToLowerInvariant()}-{StateB?.ToLowerInvariant()}-{slug}";
        if (Problems.Count == 0 && PartnershipRules.StatesOf(id) is { Error: { } error })
            Problems.Add(new(error == PartnershipMessages.BadId ? "name" : "state-b",
                MessageFormatter.Format(l, new(error))));
        if (Problems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return Redirect($"/work/partnerships/new?id={Uri.EscapeDataString(id)}");
    }

    /// <summary>
    /// Latin letters, digits and hyphens, in lower case: the id is a URL slug (the names in every language are fields
    /// of the record).
    /// </summary>
    public static string Slugify(string? name) =>
        name is null ? "" : NotSlug().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
