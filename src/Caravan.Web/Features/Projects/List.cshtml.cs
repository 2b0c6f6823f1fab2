using System.Globalization;
using Caravan.Data;
using Caravan.Features.Mechanism;
using Caravan.Features.Projects;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Projects;

/// <summary>
/// Projects with filters, paging and totals in the reader's chosen currency (with the rates' sources beside
/// them), charts of the totals by year and direction, each with its table. Readable without JavaScript.
/// </summary>
// Cached until projects, rates, directions or states, commitments or sources change.
[Caravan.Web.Infrastructure.DependsOn(typeof(Caravan.Features.Projects.Project),
    typeof(Caravan.Features.Money.ExchangeRate), typeof(Caravan.Features.Mechanism.MemberState),
    typeof(Caravan.Features.Commitments.Commitment), typeof(Caravan.Features.Sources.Source))]
public sealed class ListModel(ProjectQueries projects, CaravanDbContext db) : PageModel
{
    public ProjectRequest Asked { get; private set; } = new(new ProjectFilter(), ProjectQueries.DefaultCurrency,
        ProjectQueries.DefaultTransactionType);
    public string Sort { get; private set; } = "identifier";
    public ProjectList? List { get; private set; }
    public ProjectTotals? Totals { get; private set; }
    public List<PriorityDirection> Directions { get; private set; } = [];
    public IReadOnlySet<string> Currencies { get; private set; } = new HashSet<string>();
    public IReadOnlyList<string> Countries { get; private set; } = [];
    /// <summary>The parameters whose values were refused (the page says so, and answers 400).</summary>
    public IReadOnlyCollection<string> Problems { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = new ListQuery(Request, [.. ProjectsApi.Filters, "currency", "type"], ProjectsApi.Sorts,
            "identifier", ProjectsApi.MaxPageSize, ignoreUnknown: true);
        Asked = await ProjectsApi.ReadAsync(HttpContext, query, withMoney: true, ct);
        Sort = (query.Descending ? "-" : "") + query.SortField;
        Directions = await db.PriorityDirections.AsNoTracking().OrderBy(d => d.Order).ToListAsync(ct);
        Currencies = await projects.CurrenciesAsync(ct);
        Countries = await projects.RecipientCountriesAsync(ct);
        if (!query.IsValid)
        {
            Problems = query.Invalid;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        List = await projects.ListAsync(Asked.Filter, query.SortField == "start" ? ProjectSort.Start
            : ProjectSort.Identifier, query.Descending, query.Page, query.PageSize, ct);
        Totals = await projects.TotalsAsync(Asked.Filter, Asked.TransactionType, Asked.Currency, ct);
    }

    public int LastPage => List is null ? 1 : Math.Max(1, (List.Total + List.PageSize - 1) / List.PageSize);

    public string PageLink(int page) => ProjectsApi.Links(Request, page, List?.PageSize ?? 20, List?.Total ?? 0).Self;

    /// <summary>The same filters on another page of the projects (the map), without paging or money.</summary>
    public string FiltersQuery => QueryString.Create(Request.Query
        .Where(q => ProjectsApi.Filters.Contains(q.Key) || q.Key == "culture")
        .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))).ToString();

    public string DirectionName(string? id) => id is null ? "" : Directions.FirstOrDefault(d => d.Id == id) is { } d
        ? Caravan.Web.Features.Shared.Display.Plain(d.Name) : id;

    public static string Number(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero)
        .ToString(CultureInfo.InvariantCulture);
}
