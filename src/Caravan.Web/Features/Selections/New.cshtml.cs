using Caravan.Features.Selections;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Selections;

/// <summary>
/// The secretariat opens a new call: title, period, scoring deadline, criteria and weights. It starts as a draft.
/// </summary>
[Authorize(Policy = AccountSetup.Secretariat)]
public sealed class NewModel(Caravan.Features.Selections.Selections selections, IStringLocalizer<SharedResource> l)
    : PageModel
{
    /// <summary>Rows offered for criteria; empty rows are ignored.</summary>
    public const int CriterionRows = 6;
    public List<FormProblem> Problems { get; } = [];
    public IFormCollection? Posted { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var form = Posted = await Request.ReadFormAsync(ct);
        var criteria = new List<CriterionInput>();
        var rows = new List<int>();
        for (var i = 0; i < CriterionRows; i++)
        {
            var name = Texts(form, $"criteria[{i}].name");
            var weight = form[$"criteria[{i}].weight"].ToString();
            if (name.IsEmpty && string.IsNullOrWhiteSpace(weight)) continue;
            criteria.Add(new CriterionInput(null, name, weight));
            rows.Add(i);
        }
        var result = await selections.CreateCallAsync(HttpContext.GetCaller(), new CallInput(null, Texts(form, "title"),
            Texts(form, "description"), form["nominationsFrom"], form["nominationsTo"], form["scoringDeadline"],
            criteria), ct);
        if (result.Succeeded) return Redirect($"/selections/{result.Value}");
        if (result.Outcome == ChangeOutcome.Forbidden) return Forbid();
        // Empty rows were skipped: a problem on the n-th criterion sent is named after the n-th row filled in.
        Problems.AddRange(WriteAnswers.ForPage(result.Problems, l)
            .Select(p => p with { Field = RowField(p.Field, rows) }));
        Response.StatusCode = WriteAnswers.PageStatus(result.Outcome);
        return Page();
    }

    private static string RowField(string field, List<int> rows)
    {
        var m = System.Text.RegularExpressions.Regex.Match(field, @"^criteria\[(\d+)\](.*)$");
        return m.Success && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var k &&
            k < rows.Count
            ? $"criteria[{rows[k]}]{m.Groups[2].Value}"
            : field;
    }

    public static LocalizedText Texts(IFormCollection form, string name) => new()
    {
        En = form[$"{name}.en"].ToString(), Ru = form[$"{name}.ru"].ToString(), Zh = form[$"{name}.zh"].ToString(),
    };

    public string Value(string name) => Posted?[name].ToString() ?? "";
}
