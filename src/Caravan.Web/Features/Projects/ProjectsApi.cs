using System.Globalization;
using Caravan.Features.Money;
using Caravan.Features.Projects;
using Caravan.Features.Seed;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;

namespace Caravan.Web.Features.Projects;

public sealed record PageLinks(string Self, string First, string? Prev, string? Next, string Last);
public sealed record ProjectItemDto(string Identifier, string Url, IReadOnlyList<IatiNarrative> Title, string? Status,
    ProjectStage Stage, string? PlannedStart, string? ActualStart, string? PlannedEnd, string? ActualEnd,
    bool DatesEstimated, string? Direction, IReadOnlyList<ProjectCountryShare> RecipientCountries, bool Umbrella,
    string? Parent, int Transactions);
public sealed record ProjectPageDto(IReadOnlyList<ProjectItemDto> Items, int Page, int PageSize, int Total,
    PageLinks Links);
public sealed record TotalLineDto(string? Key, decimal Amount, IReadOnlyList<Money> Unconverted, int Transactions);
public sealed record RateUseDto(string Source, string From, string To, string FirstOn, string LastOn, int Rates);
public sealed record TotalsDto(string Currency, string TransactionType, TotalLineDto Total,
    IReadOnlyList<TotalLineDto> ByDirection, IReadOnlyList<TotalLineDto> ByState, IReadOnlyList<TotalLineDto> ByYear,
    IReadOnlyList<TotalLineDto> ByStage, IReadOnlyList<RateUseDto> Rates,
    int UmbrellasExcluded, string Method, string Findings, int ProjectsWithFindings);
/// <summary>A rule finding of a project, its message in each of the portal's languages (en, zh, ru).</summary>
public sealed record FindingDto(int Line, string Path, string Rule, string Code, IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Message);
public sealed record PublisherFindingsDto(string Publisher, int Projects, IReadOnlyList<PublisherRuleDto> Rules);
public sealed record PublisherRuleDto(string Rule, string Code, int Count, int Projects,
    IReadOnlyList<PublisherExampleDto> Examples);
public sealed record PublisherExampleDto(string Project, string Url, int Line, string Path,
    IReadOnlyDictionary<string, string> Message);
public sealed record RateDto(string From, string To, string On, decimal Rate, string Source);
public sealed record ConvertedDto(decimal Amount, string Currency, string ValueDate, IReadOnlyList<RateDto> Rates);
public sealed record AmountDto(decimal? Amount, string? Currency, string? ValueDate, ConvertedDto? Converted);
public sealed record TransactionDto(string? Type, string? Date, AmountDto Value,
    IReadOnlyList<IatiNarrative> Description, IatiOrg? Provider, IatiOrg? Receiver, string? Ref);
public sealed record BudgetDto(string? Type, string? Status, string? Start, string? End, AmountDto Value);
public sealed record TypeTotalDto(string Type, IReadOnlyList<Money> Original, TotalLineDto Converted);
public sealed record ProjectLinkDto(string Identifier, string? Url, IReadOnlyList<IatiNarrative> Title);
public sealed record RelatedDto(string Identifier, string Type, string? Url);
public sealed record CommitmentLinkDto(string Id, string Url, LocalizedText Text);
public sealed record ProjectDto(string Identifier, IReadOnlyList<IatiNarrative> Title, string? Status,
    ProjectStage Stage, string? Direction, bool DatesEstimated, bool AmountsEstimated, bool Umbrella,
    ProjectLinkDto? Parent, IReadOnlyList<ProjectLinkDto> Children, IReadOnlyList<RelatedDto> Related,
    IReadOnlyList<CommitmentLinkDto> Commitments, string Currency, IReadOnlyList<TransactionDto> Transactions,
    IReadOnlyList<BudgetDto> Budgets, IReadOnlyList<TypeTotalDto> Totals, IReadOnlyList<RateUseDto> Rates,
    string UpdatedAt, IatiActivity Activity, IReadOnlyList<FindingDto> Findings);
public sealed record PointDto(string Identifier, IReadOnlyList<IatiNarrative> Title, IReadOnlyList<IatiNarrative> Name,
    decimal Latitude, decimal Longitude);
public sealed record LocationsDto(IReadOnlyList<PointDto> Points, int Projects, int LocatedProjects, bool Capped,
    int Limit);

/// <summary>
/// The filters, currency and transaction type a projects request asks for, checked against what exists.
/// </summary>
public sealed record ProjectRequest(ProjectFilter Filter, string Currency, string TransactionType);

/// <summary>
/// /api/v1/projects (list, totals, locations, a project) and /api/v1/exchange-rates. Every filter value is
/// checked: an unknown state, currency, type or direction is a 400 problem naming the parameter.
/// </summary>
public static class ProjectsApi
{
    public const int MaxPageSize = 200;
    public static readonly string[] Filters = ["direction", "state", "status", "stage", "year", "q", "findings"];
    /// <summary>Projects stored with rule findings are counted (include, the default) or left out (exclude).</summary>
    public static readonly string[] FindingsChoices = ["include", "exclude"];
    public static readonly string[] Stages = [.. Enum.GetValues<ProjectStage>().Select(s => SeedEnums.ToKebab(s))];
    public static readonly string[] Sorts = ["identifier", "start"];

    private const string Method =
        "Sums of the transactions of the chosen type, each converted at its value date (the latest stored rate on or before it: direct, inverse or through USD), nothing rounded. Umbrella projects (parents whose children are stored) are never counted: their money is their children's. By state, each amount is split by the recipient country's percentage; what no country takes is the line with key null. Amounts with no rate are listed per original currency under unconverted, never dropped. Projects stored with rule findings are counted unless findings=exclude; findings says which, and projectsWithFindings how many of the matching projects have findings.";

    /// <summary>What the projects' answers show, as their pages: cached until one of these changes.</summary>
    private static readonly DependsOnAttribute DependsOn = new(typeof(Project), typeof(ExchangeRate),
        typeof(Caravan.Features.Mechanism.MemberState), typeof(Caravan.Features.Commitments.Commitment),
        typeof(Caravan.Features.Sources.Source));

    public static void MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Projects").WithMetadata(DependsOn);

        api.MapGet("/projects", async (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, Filters, Sorts, "identifier", MaxPageSize);
            var request = await ReadAsync(http, query, withMoney: false, ct);
            if (!query.IsValid) return query.Problem();
            return await Api.CachedJson<ProjectQueries>(http, async (q, _) =>
            {
                var sort = query.SortField == "start" ? ProjectSort.Start : ProjectSort.Identifier;
                var list = await q.ListAsync(request.Filter, sort, query.Descending, query.Page, query.PageSize, ct);
                return new ProjectPageDto([.. list.Items.Select(ToDto)], list.Page, list.PageSize, list.Total,
                    Links(http.Request, list.Page, list.PageSize, list.Total));
            });
        }).WithName("ListProjects")
          .WithSummary("Published projects (IATI activities); filter by direction, state (recipient country, ISO " +
              "3166-1 alpha-2), status (IATI ActivityStatus 1–6), stage (pledge, commitment, implementation, " +
              "completion, suspended, cancelled), year (a transaction dated in it), q (text in the identifier or a " +
              "title, any language)")
          .WithDescription("Paged: `page` from 1, `pageSize` 1–200 (default 20), `sort` identifier or start (the " +
              "actual start, else the planned one; `-start` for the latest first; projects without dates last). " +
              "`links` give the self, first, previous, next and last pages.")
          .Produces<ProjectPageDto>().ProducesValidationProblem();

        api.MapGet("/projects/totals", async (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, [.. Filters, "currency", "type"], ["identifier"], "identifier");
            var request = await ReadAsync(http, query, withMoney: true, ct);
            if (!query.IsValid) return query.Problem();
            return await Api.CachedJson<ProjectQueries>(http, async (q, _) =>
                ToDto(await q.TotalsAsync(request.Filter, request.TransactionType, request.Currency, ct)));
        }).WithName("GetProjectTotals")
          .WithSummary("Totals of the matching projects' transactions of one type (type: IATI TransactionType, " +
              "default 2 outgoing commitment; 3 disbursement…) in one currency (currency: USD by default, CNY, or " +
              "any currency of the stored rates): overall, by direction, by recipient state, by year and by stage, " +
              "with the sources of the rates used; findings=include (default) or exclude counts or leaves out " +
              "projects stored with rule findings")
          .WithDescription(Method + " With `year`, only the transactions dated in that year count.")
          .Produces<TotalsDto>().ProducesValidationProblem();

        api.MapGet("/projects/locations", async (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, Filters, ["identifier"], "identifier");
            var request = await ReadAsync(http, query, withMoney: false, ct);
            if (!query.IsValid) return query.Problem();
            return await Api.CachedJson<ProjectQueries>(http, async (q, _) =>
            {
                var found = await q.LocationsAsync(request.Filter, ct: ct);
                return new LocationsDto([.. found.Points.Select(p => new PointDto(p.Identifier, p.Titles, p.Name,
                    p.Latitude, p.Longitude))],
                    found.Projects, found.LocatedProjects, found.Capped, found.Limit);
            });
        }).WithName("ListProjectLocations")
          .WithSummary("The points (WGS 84 latitude and longitude) of the matching projects' locations, at most " +
              "5,000, in import order; capped says whether more exist")
          .Produces<LocationsDto>().ProducesValidationProblem();

        api.MapGet("/projects/findings", async (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["publisher"], ["publisher"], "publisher");
            var publisher = query.Text("publisher");
            if (publisher is { Length: > 200 }) query.Fail("publisher", "The publisher is longer than 200 characters.");
            if (!query.IsValid) return query.Problem();
            return await Api.CachedJson<ProjectQueries>(http, async (q, _) =>
                (await q.FindingsByPublisherAsync(publisher, ct)).Select(ToDto).ToList());
        }).WithName("ListFindingsByPublisher")
          .WithSummary("The rule findings of the published projects, per publisher (reporting-org ref; one with " +
              "publisher=…): each rule with how often it was found, in how many projects, and up to 3 examples " +
              "(project, line in its file, path, message in en, zh and ru)")
          .Produces<List<PublisherFindingsDto>>().ProducesValidationProblem();

        // A catch-all: IATI identifiers may contain slashes. The literal routes above (totals, locations) win over it.
        api.MapGet("/projects/{**identifier}", async (string identifier, HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["currency"], ["identifier"], "identifier");
            var request = await ReadAsync(http, query, withMoney: true, ct);
            if (!query.IsValid) return query.Problem();
            return await Api.CachedJson<ProjectQueries>(http, async (q, _) =>
                await q.GetAsync(Uri.UnescapeDataString(identifier), request.Currency, ct) is { } detail
                    ? ToDto(detail)
                    : null);
        }).WithName("GetProject")
          .WithSummary("A published project by its IATI identifier (e.g. " +
              "/api/v1/projects/XM-DAC-41114-PROJECT-00001; slashes in an identifier may be sent as they are or as " +
              "%2F): the IATI activity as stored, its transactions and budgets converted into currency (default USD) " +
              "at their value dates with each rate's date and source, totals per transaction type, its parent, " +
              "children, related activities and the commitments it delivers")
          .Produces<ProjectDto>().ProducesValidationProblem().ProducesProblem(404);

        app.MapGet("/api/v1/exchange-rates", async (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["currency"], ["date"], "date", MaxPageSize);
            var currency = query.Text("currency");
            if (currency is not null && !Money.IsCurrencyCode(currency)) query.Fail("currency",
                $"'{currency}' is not a currency code (three capital letters, ISO 4217).");
            if (!query.IsValid) return query.Problem();
            return await Api.CachedJson<ProjectQueries>(http, async (q, _) =>
            {
                var rates = await q.RatesAsync(currency, ct);
                if (query.Descending) rates.Reverse();
                return query.Paginate([.. rates.Select(ToDto)]);
            });
        }).WithTags("Projects").WithName("ListExchangeRates")
          .WithSummary("The stored exchange rates totals are converted with: one unit of from is worth rate units of " +
              "to on the date, per source; filter by currency (either side)")
          .Produces<Page<RateDto>>().ProducesValidationProblem();
    }

    /// <summary>
    /// Reads and checks the filters (and, for money, the currency and transaction type). Failures are recorded on
    /// the query, so that one 400 names every bad parameter. Directions and currencies come from the database,
    /// looked up once per data version.
    /// </summary>
    public static async Task<ProjectRequest> ReadAsync(HttpContext http, ListQuery query, bool withMoney,
        CancellationToken ct)
    {
        var (directions, currencies) = await VocabularyAsync(http, ct);
        var direction = query.Text("direction");
        if (direction is not null && !directions.Contains(direction))
            query.Fail("direction",
                $"'{direction}' is not a priority direction. Allowed: {string.Join(", ", directions.Order(StringComparer.Ordinal))}.");
        var state = query.Text("state")?.ToUpperInvariant();
        if (state is not null && !IatiCodelists.Country.Contains(state))
            query.Fail("state",
                $"'{state}' is not a country code (ISO 3166-1 alpha-2, as in the IATI Country codelist).");
        var status = query.Text("status");
        if (status is not null && !IatiCodelists.ActivityStatus.Contains(status))
            query.Fail("status",
                $"'{status}' is not an IATI activity status. Allowed: {string.Join(", ", IatiCodelists.ActivityStatus.Order(StringComparer.Ordinal))}.");
        var stage = query.OneOf("stage", Stages) is { } s ? SeedEnums.Parse<ProjectStage>(s) : (ProjectStage?)null;
        var year = query.OptionalInteger("year", 1900, 2100);
        var text = query.Text("q");
        var findings = query.OneOf("findings", FindingsChoices);
        if (text is { Length: > 200 }) query.Fail("q", "The search text is longer than 200 characters.");
        var currency = ProjectQueries.DefaultCurrency;
        var type = ProjectQueries.DefaultTransactionType;
        if (withMoney)
        {
            var asked = query.Text("currency")?.ToUpperInvariant();
            if (asked is not null && !currencies.Contains(asked))
                query.Fail("currency",
                    $"'{asked}' cannot be converted to: no stored rate quotes it. Allowed: {string.Join(", ", currencies)}.");
            else if (asked is not null) currency = asked;
            if (query.Text("type") is { } t)
            {
                if (IatiCodelists.TransactionType.Contains(t)) type = t;
                else query.Fail("type",
                    $"'{t}' is not an IATI transaction type (1–13; 2 outgoing commitment, 3 disbursement).");
            }
        }
        return new ProjectRequest(new ProjectFilter(direction, state, status, stage, year, text,
            ExcludeFindings: findings == "exclude"), currency, type);
    }

    /// <summary>
    /// The directions and currencies a filter may name: two small tables, read only when the answer is not cached.
    /// </summary>
    private static async Task<(IReadOnlySet<string> Directions,
        IReadOnlySet<string> Currencies)> VocabularyAsync(HttpContext http, CancellationToken ct)
    {
        var queries = http.RequestServices.GetRequiredService<ProjectQueries>();
        return (await queries.DirectionIdsAsync(ct), await queries.CurrenciesAsync(ct));
    }

    public static PageLinks Links(HttpRequest request, int page, int pageSize, int total)
    {
        var last = Math.Max(1, (total + pageSize - 1) / pageSize);
        string At(int n) => request.Path + QueryString.Create(request.Query.Where(q => q.Key != "page")
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
            .Append(KeyValuePair.Create("page", (string?)n.ToString(CultureInfo.InvariantCulture)))).ToString();
        return new PageLinks(At(page), At(1), page > 1 ? At(Math.Min(page - 1, last)) : null, page < last ? At(page + 1)
            : null, At(last));
    }

    private static string? Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string UrlOf(string identifier) => "/projects/" + Uri.EscapeDataString(identifier);

    private static ProjectItemDto ToDto(ProjectSummary p) => new(p.Identifier, "/api/v1" + UrlOf(p.Identifier),
        p.Titles, p.Status, p.Stage, Iso(p.PlannedStart), Iso(p.ActualStart), Iso(p.PlannedEnd), Iso(p.ActualEnd),
        p.DatesEstimated, p.DirectionId, p.Countries, p.IsUmbrella, p.ParentIdentifier, p.Transactions);

    private static TotalLineDto ToDto(TotalLine l) => new(l.Key, l.Amount, l.Unconverted, l.Transactions);

    private static RateUseDto ToDto(RateUse r) => new(r.Source, r.From, r.To, Iso(r.FirstOn)!, Iso(r.LastOn)!, r.Rates);

    private static RateDto ToDto(ExchangeRate r) => new(r.From, r.To, Iso(r.On)!, r.Rate, r.Source);

    private static TotalsDto ToDto(ProjectTotals t) => new(t.Currency, t.TransactionType, ToDto(t.Total),
        [.. t.ByDirection.Select(ToDto)], [.. t.ByState.Select(ToDto)], [.. t.ByYear.Select(ToDto)],
        [.. t.ByStage.Select(ToDto)], [.. t.Rates.Select(ToDto)], t.UmbrellasExcluded, Method,
        t.Findings.Included ? "include" : "exclude", t.Findings.ProjectsWithFindings);

    private static readonly IReadOnlyList<CultureInfo> Cultures =
        [.. LocalizedText.Languages.Select(CultureInfo.GetCultureInfo)];

    /// <summary>
    /// A message in every language of the portal: the API's answers are cached whatever the caller's language, as
    /// titles are given in all their narratives.
    /// </summary>
    public static IReadOnlyDictionary<string, string> InEveryLanguage(Message message) =>
        Cultures.ToDictionary(c => c.Name, c => MessageFormatter.Format(message, c));

    public static FindingDto ToDto(ProjectFinding f) =>
        new(f.Line, f.Path, f.Rule, f.Code, f.Args, InEveryLanguage(f.Message));

    private static PublisherFindingsDto ToDto(PublisherFindings p) => new(p.Publisher, p.Projects,
        [.. p.Rules.Select(r => new PublisherRuleDto(r.Rule, r.Code, r.Count, r.Activities,
            [.. r.Examples.Select(e => new PublisherExampleDto(e.Activity, "/api/v1" + UrlOf(e.Activity), e.Line,
                e.Path, InEveryLanguage(e.Message)))]))]);

    private static AmountDto ToDto(ConvertedValue v) => new(v.Original?.Amount, v.Original?.Currency, Iso(v.ValueDate),
        v.Converted is { } c
            ? new ConvertedDto(c.Value.Amount, c.Value.Currency, Iso(c.ValueDate)!, [.. c.RatesUsed.Select(ToDto)])
            : null);

    private static ProjectLinkDto ToDto(ProjectLink l) =>
        new(l.Identifier, l.Titles.Count > 0 ? "/api/v1" + UrlOf(l.Identifier) : null, l.Titles);

    private static ProjectDto ToDto(ProjectDetail d)
    {
        var p = d.Project;
        return new ProjectDto(p.IatiIdentifier, d.Activity.Titles, p.Status, d.Stage, p.DirectionId, p.DatesEstimated,
            p.AmountsEstimated, p.IsUmbrella, d.Parent is null ? null : ToDto(d.Parent), [.. d.Children.Select(ToDto)],
            [.. d.Related.Select(r => new RelatedDto(r.Identifier, r.Type, r.Stored is null ? null : "/api/v1"
                + UrlOf(r.Identifier)))],
            [.. d.Commitments.Select(c => new CommitmentLinkDto(c.Id, $"/api/v1/commitments/{c.Id}", c.Text))],
            d.Currency,
            [.. d.Transactions.Select(t => new TransactionDto(t.Transaction.Type, Iso(t.Transaction.Date),
                ToDto(t.Value), t.Transaction.Description, t.Transaction.Provider, t.Transaction.Receiver,
                t.Transaction.Ref))],
            [.. d.Budgets.Select(b => new BudgetDto(b.Budget.Type, b.Budget.Status, Iso(b.Budget.Start),
                Iso(b.Budget.End), ToDto(b.Value)))],
            [.. d.Totals.Select(t => new TypeTotalDto(t.Type, t.Original, ToDto(t.Converted)))],
            [.. d.Rates.Select(ToDto)], p.UpdatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            d.Activity, [.. d.Findings.Select(ToDto)]);
    }
}
