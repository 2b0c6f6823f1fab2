using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Money;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Projects;

/// <summary>
/// The project list's filters; null means any. <see cref="Year"/> selects projects with a transaction dated in
/// that year (any type), and in totals the transactions of that year: the money of the year, not the projects
/// whose dates span it (many activities give no end date, and planned dates move). <see cref="ExcludeFindings"/>
/// leaves out projects stored with rule findings (<see cref="Project.Findings"/>); by default they are included.
/// </summary>
public sealed record ProjectFilter(string? Direction = null, string? State = null, string? Status = null,
    ProjectStage? Stage = null, int? Year = null, string? Text = null, bool ExcludeFindings = false);

public enum ProjectSort { Identifier, Start }

public sealed record ProjectCountryShare(string Code, decimal Percentage);

/// <summary>A project as lists show it: no activity record, only the columns beside it.</summary>
public sealed record ProjectSummary(
    string Identifier, IReadOnlyList<IatiNarrative> Titles, string? Status, ProjectStage Stage,
    DateOnly? PlannedStart, DateOnly? ActualStart, DateOnly? PlannedEnd, DateOnly? ActualEnd, bool DatesEstimated,
    string? DirectionId, IReadOnlyList<ProjectCountryShare> Countries, bool IsUmbrella, string? ParentIdentifier,
    int Transactions)
{
    /// <summary>The start that sorts the list: the actual start, else the planned one.</summary>
    public DateOnly? Start => ActualStart ?? PlannedStart;
}

public sealed record ProjectList(IReadOnlyList<ProjectSummary> Items, int Page, int PageSize, int Total);

/// <summary>
/// Sums of one transaction type in one currency: overall, by direction, by recipient state (each transaction
/// split by the country's percentage; what no country takes is the line with a null key), by year and by stage.
/// Umbrella projects are never counted (their money is their children's).
/// </summary>
public sealed record ProjectTotals(
    string Currency, string TransactionType, TotalLine Total,
    IReadOnlyList<TotalLine> ByDirection, IReadOnlyList<TotalLine> ByState, IReadOnlyList<TotalLine> ByYear,
    IReadOnlyList<TotalLine> ByStage, IReadOnlyList<RateUse> Rates, int UmbrellasExcluded,
    FindingsCounted Findings);

/// <summary>
/// Whether the totals count projects stored with rule findings, and how many of the matching projects have findings
/// (counted in the totals when included, left out when not).
/// </summary>
public sealed record FindingsCounted(bool Included, int ProjectsWithFindings);

/// <summary>
/// An amount of the activity (a transaction's, a budget's) with its conversion at the value date, when a rate reaches
/// it.
/// </summary>
public sealed record ConvertedValue(IatiValue? Original, DateOnly? ValueDate, ConvertedMoney? Converted);

/// <summary>A publisher's (reporting-org) projects with findings and its findings by rule.</summary>
public sealed record PublisherFindings(string Publisher, int Projects, IReadOnlyList<FindingSummary> Rules);

public sealed record ProjectLink(string Identifier, IReadOnlyList<IatiNarrative> Titles);

/// <summary>A related activity as the publisher names it, and the stored, published project it is, if any.</summary>
public sealed record RelatedProject(string Identifier, string Type, ProjectLink? Stored);

public sealed record LinkedCommitment(string Id, LocalizedText Text, IReadOnlyList<string> Translated);

/// <summary>The money of one transaction type: in each original currency, and converted.</summary>
public sealed record TypeTotal(string Type, IReadOnlyList<Money.Money> Original, TotalLine Converted);

public sealed record ProjectDetail(
    Project Project, IatiActivity Activity, ProjectStage Stage, string Currency,
    IReadOnlyList<(IatiTransaction Transaction, ConvertedValue Value)> Transactions,
    IReadOnlyList<(IatiBudget Budget, ConvertedValue Value)> Budgets,
    IReadOnlyList<TypeTotal> Totals, IReadOnlyList<RateUse> Rates,
    IReadOnlyList<LinkedCommitment> Commitments, ProjectLink? Parent, IReadOnlyList<ProjectLink> Children,
    IReadOnlyList<RelatedProject> Related, IReadOnlyList<ProjectFinding> Findings);

public sealed record ProjectPoint(string Identifier, IReadOnlyList<IatiNarrative> Titles,
    IReadOnlyList<IatiNarrative> Name, decimal Latitude, decimal Longitude);

/// <summary>
/// Points of the matching projects' locations, at most <see cref="Limit"/>; <see cref="Capped"/> when more exist.
/// </summary>
public sealed record ProjectLocations(IReadOnlyList<ProjectPoint> Points, int Projects, int LocatedProjects,
    bool Capped, int Limit);

/// <summary>
/// Reads of published projects: the filtered list, totals in a chosen currency, a project's page and the map's
/// points. The same methods serve the portal, the API and the tests. Dates are compared as DateOnly (SQLite
/// cannot compare DateTimeOffset in SQL); sums are added by the database per (currency, value date) and
/// converted here, so that each amount is converted with the rate of its own value date.
/// </summary>
public sealed class ProjectQueries(CaravanDbContext db)
{
    public const int MaxPoints = 5000;
    public const string DefaultCurrency = "USD";
    public const string DefaultTransactionType = "2";

    /// <summary>The currencies totals may be asked in: USD, CNY, and every currency of the stored rates.</summary>
    public async Task<IReadOnlySet<string>> CurrenciesAsync(CancellationToken ct = default)
    {
        var stored = await db.ExchangeRates.Select(r => r.From).Union(db.ExchangeRates.Select(r => r.To))
            .ToListAsync(ct);
        return new SortedSet<string>(stored.Append("USD").Append("CNY"), StringComparer.Ordinal);
    }

    public async Task<IReadOnlySet<string>> DirectionIdsAsync(CancellationToken ct = default) =>
        (await db.PriorityDirections.Select(d => d.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The recipient countries published projects name (for a filter's choices): not those of drafts, nor of a
    /// running import's staged rows (which are unpublished).
    /// </summary>
    public async Task<IReadOnlyList<string>> RecipientCountriesAsync(CancellationToken ct = default) =>
        await CellsBuiltAsync(null, ct)
            ? await db.Set<ProjectTotalCell>().Where(c => c.Type == "" && c.Year == 0 && c.CountryCode != "")
                .Select(c => c.CountryCode).Distinct().OrderBy(c => c).ToListAsync(ct)
            : await db.ProjectCountries
            .Where(c => db.Projects.Where(p => p.Published).Select(p => p.Id).Contains(c.ProjectId))
            .Select(c => c.CountryCode).Distinct().OrderBy(c => c).ToListAsync(ct);

    public Task<List<ExchangeRate>> RatesAsync(string? currency, CancellationToken ct = default)
    {
        var rates = db.ExchangeRates.AsNoTracking();
        if (currency is not null) rates = rates.Where(r => r.From == currency || r.To == currency);
        return rates.OrderBy(r => r.From).ThenBy(r => r.To).ThenBy(r => r.On).ToListAsync(ct);
    }

    /// <summary>Published projects matching the filter (a query, not yet run).</summary>
    private IQueryable<Project> Matching(ProjectFilter f)
    {
        var q = db.Projects.AsNoTracking().Where(p => p.Published);
        if (f.Direction is { } direction) q = q.Where(p => p.DirectionId == direction);
        if (f.Status is { } status) q = q.Where(p => p.Status == status);
        // The secretariat's override wins over the stage derived at import.
        if (f.Stage is { } stage) q = q.Where(p => p.StageOverride == stage
            || (p.StageOverride == null && p.Stage == stage));
        // Semi-joins (IN (SELECT …)) rather than EXISTS per project: each subquery runs once, over an index led by what
        // it filters.
        if (f.State is { } state) q = q.Where(
            p => db.ProjectCountries.Where(c => c.CountryCode == state).Select(c => c.ProjectId).Contains(p.Id));
        if (f.Year is { } year)
        {
            // The transactions index is led by the type: naming the Standard's thirteen types lets the year be sought
            // in it.
            var types = IatiCodelists.TransactionType.ToList();
            q = q.Where(
                p => db.ProjectTransactions.Where(t => EF.Constant(types).Contains(t.Type) && t.Year == year)
                    .Select(t => t.ProjectId).Contains(p.Id));
        }
        if (f.ExcludeFindings) q = q.Where(p => p.FindingCount == 0);
        if (f.Text is { Length: > 0 } text)
        {
            var needle = ProjectRules.SearchNeedle(text);
            q = q.Where(p => p.SearchText.Contains(needle));
        }
        return q;
    }

    public async Task<ProjectList> ListAsync(ProjectFilter filter, ProjectSort sort, bool descending, int page,
        int pageSize, CancellationToken ct = default)
    {
        var matching = Matching(filter);
        var total = await matching.CountAsync(ct);
        var ordered = sort switch
        {
            // Projects without any start date come last either way (SQLite and PostgreSQL place nulls differently).
            ProjectSort.Start when descending
                => matching.OrderBy(p => (p.ActualStart ?? p.PlannedStart) == null)
                    .ThenByDescending(p => p.ActualStart ?? p.PlannedStart).ThenBy(p => p.IatiIdentifier),
            ProjectSort.Start
                => matching.OrderBy(p => (p.ActualStart ?? p.PlannedStart) == null)
                    .ThenBy(p => p.ActualStart ?? p.PlannedStart).ThenBy(p => p.IatiIdentifier),
            _ when descending => matching.OrderByDescending(p => p.IatiIdentifier),
            _ => matching.OrderBy(p => p.IatiIdentifier),
        };
        // The page's ids first, from the listing index alone (however deep the page); then only those rows.
        var ids = await ordered.Skip((page - 1) * pageSize).Take(pageSize).Select(p => p.Id).ToListAsync(ct);
        var position = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var rows = (await db.Projects.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id, p.IatiIdentifier, p.Titles, p.Status, p.Stage, p.StageOverride, p.PlannedStart, p.ActualStart,
                p.PlannedEnd, p.ActualEnd, p.DatesEstimated, p.DirectionId, p.IsUmbrella, p.ParentIdentifier,
                p.TransactionCount,
            })
            .ToListAsync(ct)).OrderBy(r => position[r.Id]).ToList();
        var countries = (await db.ProjectCountries.AsNoTracking().Where(c => ids.Contains(c.ProjectId)).ToListAsync(ct))
            .ToLookup(c => c.ProjectId);
        var items = rows.Select(
            r => new ProjectSummary(r.IatiIdentifier, TitlesOf(r.Titles), r.Status, r.StageOverride ?? r.Stage,
            r.PlannedStart, r.ActualStart, r.PlannedEnd, r.ActualEnd, r.DatesEstimated, r.DirectionId,
            [.. countries[r.Id].OrderByDescending(c => c.Percentage).ThenBy(c => c.CountryCode, StringComparer.Ordinal)
                .Select(c => new ProjectCountryShare(c.CountryCode, c.Percentage))],
            r.IsUmbrella, r.ParentIdentifier, r.TransactionCount)).ToList();
        return new ProjectList(items, page, pageSize, total);
    }

    /// <summary>
    /// Totals of one transaction type (2 outgoing commitment by default) over the matching projects, umbrellas
    /// excluded, in <paramref name="currency"/>. Read from the totals' cells (<see cref="ProjectTotalCell"/>) when they
    /// are built for the stored rates and the filter is one they keep (no state, no text); else from the transactions
    /// themselves. Both add the amounts per dimension, currency and rate epoch exactly (decimal on both providers) and
    /// convert each sum here: the same figures either way.
    /// </summary>
    public async Task<ProjectTotals> TotalsAsync(ProjectFilter filter, string transactionType, string currency,
        CancellationToken ct = default) => await db.ReadAsOneAsync(async () =>
    {
        var rates = await db.ExchangeRates.AsNoTracking().ToListAsync(ct);
        var epochs = new RateEpochs(rates.Select(r => r.On));
        return await CellTotalsAsync(filter, transactionType, currency, rates, epochs, ct)
            ?? await TransactionTotalsAsync(filter, transactionType, currency, rates, epochs, ct);
    }, ct);

    /// <summary>The totals from the cells alone, or null when they cannot give them (tests compare the two ways).</summary>
    public Task<ProjectTotals?> TotalsFromCellsAsync(ProjectFilter filter, string transactionType, string currency,
        CancellationToken ct = default) => db.ReadAsOneAsync(async () =>
    {
        var rates = await db.ExchangeRates.AsNoTracking().ToListAsync(ct);
        return await CellTotalsAsync(filter, transactionType, currency, rates, new RateEpochs(rates.Select(r => r.On)),
            ct);
    }, ct);

    /// <summary>The same totals from the transactions, whatever the cells hold (tests compare the two).</summary>
    public Task<ProjectTotals> TotalsFromTransactionsAsync(ProjectFilter filter, string transactionType,
        string currency, CancellationToken ct = default) => db.ReadAsOneAsync(async () =>
    {
        var rates = await db.ExchangeRates.AsNoTracking().ToListAsync(ct);
        return await TransactionTotalsAsync(filter, transactionType, currency, rates,
            new RateEpochs(rates.Select(r => r.On)), ct);
    }, ct);

    /// <summary>Whether the cells are built, for these rate dates (null: for any).</summary>
    private async Task<bool> CellsBuiltAsync(string? rateDates, CancellationToken ct)
    {
        var stamp = await db.Set<ProjectTotalsStamp>().AsNoTracking().Where(s => s.Id == 1).Select(s => s.RateDates)
            .FirstOrDefaultAsync(ct);
        return stamp is not null && (rateDates is null || stamp == rateDates);
    }

    /// <summary>
    /// Null when the cells are not built for the stored rates' dates, or the filter names what they do not keep (a
    /// recipient state: the other states' shares of its projects; a text).
    /// </summary>
    private async Task<ProjectTotals?> CellTotalsAsync(ProjectFilter filter, string transactionType, string currency,
        List<ExchangeRate> rates, RateEpochs epochs, CancellationToken ct)
    {
        if (filter.State is not null || filter.Text is not null || !await CellsBuiltAsync(epochs.Key, ct)) return null;
        var cells = db.Set<ProjectTotalCell>().AsNoTracking();
        if (filter.Direction is { } direction) cells = cells.Where(c => c.DirectionId == direction);
        if (filter.Status is { } status) cells = cells.Where(c => c.Status == status);
        if (filter.Stage is { } stage) cells = cells.Where(c => c.Stage == stage);
        var money = cells.Where(c => c.Type == transactionType);
        if (filter.Year is { } year) money = money.Where(c => c.Year == year);
        if (filter.ExcludeFindings) money = money.Where(c => !c.Findings);
        var sums = await money
            .GroupBy(c => new { c.CountryCode, c.DirectionId, c.Stage, c.Year, c.Currency, c.Epoch })
            .Select(g => new { g.Key.CountryCode, g.Key.DirectionId, g.Key.Stage, g.Key.Year, g.Key.Currency,
                g.Key.Epoch, Amount = g.Sum(c => c.Amount), Count = g.Sum(c => c.Count) })
            .ToListAsync(ct);
        // The projects counted beside the money: umbrellas left out, and those with findings.
        var inYear = filter.Year ?? 0;
        var projects = await cells.Where(c => c.Type == "" && c.CountryCode == "" && c.Year == inYear)
            .GroupBy(c => new { c.Findings, c.Umbrella })
            .Select(g => new { g.Key.Findings, g.Key.Umbrella, Count = g.Sum(c => c.Count) })
            .ToListAsync(ct);
        var umbrellas = projects.Where(p => p.Umbrella && !(filter.ExcludeFindings && p.Findings)).Sum(p => p.Count);
        var withFindings = projects.Where(p => !p.Umbrella && p.Findings).Sum(p => p.Count);
        return Tally(filter, transactionType, currency, new CurrencyConverter(rates),
            sums.Where(s => s.CountryCode == "").Select(s => new WholeSum(s.DirectionId == "" ? null : s.DirectionId,
                s.Stage, s.Year, s.Currency, s.Epoch, s.Amount, s.Count)),
            sums.Where(s => s.CountryCode != "").Select(s => new ShareSum(s.CountryCode, s.Currency, s.Epoch, s.Amount,
                s.Count)),
            umbrellas, withFindings);
    }

    private async Task<ProjectTotals> TransactionTotalsAsync(ProjectFilter filter, string transactionType,
        string currency, List<ExchangeRate> rates, RateEpochs epochs, CancellationToken ct)
    {
        // The year selects transactions here (the projects' other years do not count), so the project filter leaves it
        // out.
        var projects = Matching(filter with { Year = null }).Where(p => !p.IsUmbrella);
        var transactions = db.ProjectTransactions.AsNoTracking().Where(t => t.Type == transactionType);
        if (filter.Year is { } year) transactions = transactions.Where(t => t.Year == year);
        var counted = transactions.Join(projects, t => t.ProjectId, p => p.Id,
            (t, p) => new { t.ProjectId, p.DirectionId, p.Stage, p.StageOverride, t.Year, t.Currency, t.ValueDate,
                t.Amount });

        var rows = await counted
            .GroupBy(x => new { x.DirectionId, x.Stage, x.StageOverride, x.Year, x.Currency, x.ValueDate })
            .Select(g => new { g.Key.DirectionId, g.Key.Stage, g.Key.StageOverride, g.Key.Year, g.Key.Currency,
                g.Key.ValueDate, Sum = g.Sum(x => x.Amount), Count = g.Count() })
            .ToListAsync(ct);
        var shares = await counted.Join(db.ProjectCountries, x => x.ProjectId, c => c.ProjectId,
            (x, c) => new { c.CountryCode, c.Percentage, x.Currency, x.ValueDate, x.Amount })
            .GroupBy(x => new { x.CountryCode, x.Percentage, x.Currency, x.ValueDate })
            .Select(g => new { g.Key.CountryCode, g.Key.Percentage, g.Key.Currency, g.Key.ValueDate,
                Sum = g.Sum(x => x.Amount), Count = g.Count() })
            .ToListAsync(ct);
        var umbrellas = await Matching(filter).CountAsync(p => p.IsUmbrella, ct);
        // Projects with findings among those matching the other filters: counted, or left out (then said how many).
        var withFindings = await Matching(filter with { ExcludeFindings = false })
            .CountAsync(p => p.FindingCount > 0 && !p.IsUmbrella, ct);
        return Tally(filter, transactionType, currency, new CurrencyConverter(rates),
            rows.Select(r => new WholeSum(r.DirectionId, r.StageOverride ?? r.Stage, r.Year, r.Currency,
                epochs.Of(r.ValueDate), r.Sum, r.Count)),
            shares.Select(s => new ShareSum(s.CountryCode, s.Currency, epochs.Of(s.ValueDate),
                MoneyTally.Share(s.Sum, s.Percentage), s.Count)),
            umbrellas, withFindings);
    }

    private readonly record struct WholeSum(string? DirectionId, ProjectStage Stage, int Year, string Currency,
        DateOnly Epoch, decimal Amount, int Count);

    private readonly record struct ShareSum(string CountryCode, string Currency, DateOnly Epoch, decimal Amount,
        int Count);

    /// <summary>
    /// Adds the sums up per line, currency and rate epoch, then converts each in a fixed order: whichever way the sums
    /// were read (cells or transactions), the same additions in the same order give the same figures.
    /// </summary>
    private static ProjectTotals Tally(ProjectFilter filter, string transactionType, string currency,
        CurrencyConverter converter, IEnumerable<WholeSum> wholes, IEnumerable<ShareSum> shares, int umbrellas,
        int withFindings)
    {
        var used = new HashSet<ExchangeRate>();
        MoneyTally Tally() => new(converter, currency, used);
        var (byDirection, byYear, byStage, byState) = (Tally(), Tally(), Tally(), Tally());
        var stageKeys = Enum.GetValues<ProjectStage>().ToDictionary(s => s, s => Seed.SeedEnums.ToKebab(s));
        var directionSums = new Sums();
        var yearSums = new Sums();
        var stageSums = new Sums();
        var stateSums = new Sums();
        var whole = new Dictionary<(string Currency, DateOnly Epoch), decimal>();
        foreach (var w in wholes)
        {
            directionSums.Add(w.DirectionId, w.Currency, w.Epoch, w.Amount, w.Count);
            yearSums.Add(w.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), w.Currency, w.Epoch,
                w.Amount, w.Count);
            stageSums.Add(stageKeys[w.Stage], w.Currency, w.Epoch, w.Amount, w.Count);
            whole[(w.Currency, w.Epoch)] = whole.GetValueOrDefault((w.Currency, w.Epoch)) + w.Amount;
        }
        // What the recipient countries' percentages do not cover (regions, unstated shares) is kept as a line of its
        // own.
        var unattributed = new Dictionary<(string Currency, DateOnly Epoch), decimal>(whole);
        foreach (var s in shares)
        {
            stateSums.Add(s.CountryCode, s.Currency, s.Epoch, s.Amount, s.Count);
            unattributed[(s.Currency, s.Epoch)] -= s.Amount;
        }
        foreach (var ((from, on), rest) in unattributed.Where(u => u.Value > 0)) stateSums.Add(null, from, on, rest, 0);
        directionSums.Into(byDirection);
        yearSums.Into(byYear);
        stageSums.Into(byStage);
        stateSums.Into(byState);

        static IReadOnlyList<TotalLine> Ordered(IEnumerable<TotalLine> lines, bool byAmount) => byAmount
            ? [.. lines.OrderBy(l => l.Key is null).ThenByDescending(l => l.Amount)
                .ThenBy(l => l.Key, StringComparer.Ordinal)]
            : [.. lines.OrderBy(l => l.Key is null).ThenBy(l => l.Key, StringComparer.Ordinal)];
        var stages = Enum.GetValues<ProjectStage>().Select(Seed.SeedEnums.ToKebab).ToList();
        return new ProjectTotals(currency, transactionType, byYear.Total(),
            Ordered(byDirection.Lines(), false), Ordered(byState.Lines(), true),
            [.. byYear.Lines().OrderBy(l => l.Key, StringComparer.Ordinal)],
            [.. byStage.Lines().OrderBy(l => stages.IndexOf(l.Key!))], MoneyTally.RateUses(used), umbrellas,
            new FindingsCounted(!filter.ExcludeFindings, withFindings));
    }

    /// <summary>Sums per (line, currency, epoch), handed to a tally in one order: line, currency, epoch.</summary>
    private sealed class Sums
    {
        private readonly Dictionary<(string Key, string Currency, DateOnly Epoch), (decimal Amount, int Count)> _sums =
            [];

        // A null key ("no direction", "no state") under a key no code can take, first in the order.
        public void Add(string? key, string currency, DateOnly epoch, decimal amount, int count)
        {
            var k = (key ?? "\0", currency, epoch);
            var (a, n) = _sums.GetValueOrDefault(k);
            _sums[k] = (a + amount, n + count);
        }

        public void Into(MoneyTally tally)
        {
            foreach (var ((key, currency, epoch), (amount, count)) in _sums.OrderBy(s => s.Key.Key, StringComparer.Ordinal)
                         .ThenBy(s => s.Key.Currency, StringComparer.Ordinal).ThenBy(s => s.Key.Epoch))
                tally.Add(key == "\0" ? null : key, amount, currency, epoch, count);
        }
    }

    /// <summary>
    /// A published project with its activity, amounts converted into <paramref name="currency"/>, and what it links to.
    /// </summary>
    public async Task<ProjectDetail?> GetAsync(string identifier, string currency, CancellationToken ct = default)
    {
        var project = await db.Projects.AsNoTracking()
            .FirstOrDefaultAsync(p => p.IatiIdentifier == identifier && p.Published, ct);
        if (project is null) return null;
        var activity = IatiActivity.FromJson(project.Activity);
        var converter = await ExchangeRates.ConverterAsync(db, ct);
        var used = new HashSet<ExchangeRate>();

        ConvertedValue Convert(IatiValue? value, DateOnly? fallbackDate)
        {
            // As the totals do: the value date, else the transaction's date.
            var on = value?.ValueDate ?? fallbackDate;
            if (value is not { Currency: { } from } || on is not { } date) return new ConvertedValue(value, on, null);
            var converted = converter.Convert(new Money.Money(value.Amount, from), currency, date);
            if (converted is not null) used.UnionWith(converted.RatesUsed);
            return new ConvertedValue(value, on, converted);
        }

        var transactions = activity.Transactions.Select(t => (t, Convert(t.Value, t.Date))).ToList();
        var budgets = activity.Budgets.Select(b => (b, Convert(b.Value, b.Start))).ToList();
        var totals = new List<TypeTotal>();
        foreach (var type in transactions.Where(t => t.t.Type is not null).GroupBy(t => t.t.Type!)
            .OrderBy(g => int.TryParse(g.Key, out var n) ? n : int.MaxValue))
        {
            var tally = new MoneyTally(converter, currency);
            foreach (var (t, v) in type)
                if (v.Original is { Currency: { } from } value
                    && v.ValueDate is { } on) tally.Add(type.Key, value.Amount, from, on);
            var inOriginal = type.Where(t => t.Item2.Original?.Currency is not null)
                .GroupBy(t => t.Item2.Original!.Currency!)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new Money.Money(g.Sum(t => t.Item2.Original!.Amount), g.Key)).ToList();
            totals.Add(new TypeTotal(type.Key, inOriginal, tally.Total() with { Key = type.Key }));
        }

        var commitments = await db.ProjectCommitments.Where(l => l.ProjectId == project.Id)
            .Join(db.Commitments, l => l.CommitmentId, c => c.Id, (l, c) => c).AsNoTracking().OrderBy(c => c.Id)
            .ToListAsync(ct);
        var relatedIds = activity.RelatedActivities.Select(r => r.Ref).Append(project.ParentIdentifier ?? "").Distinct()
            .ToList();
        var stored = await db.Projects.AsNoTracking()
            .Where(p => p.Published
                && (relatedIds.Contains(p.IatiIdentifier) || p.ParentIdentifier == project.IatiIdentifier))
            .Select(p => new { p.IatiIdentifier, p.Titles, p.ParentIdentifier }).ToListAsync(ct);
        var links = stored.ToDictionary(p => p.IatiIdentifier,
            p => new ProjectLink(p.IatiIdentifier, TitlesOf(p.Titles)), StringComparer.Ordinal);
        var children = stored.Where(p => p.ParentIdentifier == project.IatiIdentifier)
            .OrderBy(p => p.IatiIdentifier, StringComparer.Ordinal).Select(p => links[p.IatiIdentifier]).ToList();
        // The parent and the children are shown apart; the other relations (siblings, co-funded, third party) as the
        // publisher lists them.
        var related = activity.RelatedActivities
            .Where(r => !(r.Type == "1" && r.Ref == project.ParentIdentifier)
                && !(r.Type == "2" && children.Any(c => c.Identifier == r.Ref)))
            .Select(r => new RelatedProject(r.Ref, r.Type, links.GetValueOrDefault(r.Ref))).ToList();
        var parent = project.ParentIdentifier is { } p ? links.GetValueOrDefault(p) ?? new ProjectLink(p, []) : null;

        return new ProjectDetail(project, activity, project.StageOverride ?? project.Stage, currency, transactions,
            budgets, totals,
            MoneyTally.RateUses(used), [.. commitments.Select(c => new LinkedCommitment(c.Id, c.Text, c.Translated))],
            parent, children, related, ProjectFindings.FromJson(project.Findings));
    }

    /// <summary>
    /// The rule findings of the published projects of one publisher (reporting-org ref; all publishers when null),
    /// by rule: how often, in how many projects, and the first examples. Read in pages of the projects with findings.
    /// </summary>
    public async Task<IReadOnlyList<PublisherFindings>> FindingsByPublisherAsync(string? publisher,
        CancellationToken ct = default)
    {
        var tallies = new SortedDictionary<string, (FindingTally Tally, int Projects)>(StringComparer.Ordinal);
        var matching = db.Projects.AsNoTracking().Where(p => p.Published && p.FindingCount > 0);
        if (publisher is not null) matching = matching.Where(p => p.ReportingOrgRef == publisher);
        long after = 0;
        while (true)
        {
            var page = await matching.Where(p => p.Id > after).OrderBy(p => p.Id).Take(500)
                .Select(p => new { p.Id, p.IatiIdentifier, p.ReportingOrgRef, p.Findings }).ToListAsync(ct);
            if (page.Count == 0) break;
            foreach (var p in page)
            {
                var key = p.ReportingOrgRef ?? "";
                var (tally, projects) = tallies.TryGetValue(key, out var t) ? t : (new FindingTally(), 0);
                foreach (var f in ProjectFindings.FromJson(p.Findings))
                    tally.Add(p.IatiIdentifier, f.Line, f.Path, f.Rule, f.Message, isError: false);
                tallies[key] = (tally, projects + 1);
            }
            after = page[^1].Id;
        }
        return [.. tallies.Select(t => new PublisherFindings(t.Key, t.Value.Projects, t.Value.Tally.Summary()))];
    }

    /// <summary>
    /// The located points of the matching projects, in the order they were imported, up to <paramref name="limit"/>.
    /// Locations live in the activity record, so projects are read in pages until the limit is reached.
    /// </summary>
    public async Task<ProjectLocations> LocationsAsync(ProjectFilter filter, int limit = MaxPoints,
        CancellationToken ct = default)
    {
        var matching = Matching(filter);
        var total = await matching.CountAsync(ct);
        var points = new List<ProjectPoint>();
        var located = 0;
        var capped = false;
        long after = 0;
        while (!capped)
        {
            // Keyset paging over (Published, Id), the order of import: each page is a range scan, whatever the depth.
            var page = await matching.Where(p => p.Id > after).OrderBy(p => p.Id).Take(500)
                .Select(p => new { p.Id, p.IatiIdentifier, p.Titles, p.Activity }).ToListAsync(ct);
            if (page.Count == 0) break;
            foreach (var p in page)
            {
                var here = IatiActivity.LocationsFromJson(p.Activity)
                    .Where(l => l.Latitude is >= -90 and <= 90 && l.Longitude is >= -180 and <= 180).ToList();
                if (here.Count == 0) continue;
                if (points.Count + here.Count > limit) { capped = true; break; }
                located++;
                var titles = TitlesOf(p.Titles);
                points.AddRange(
                    here.Select(
                        l => new ProjectPoint(p.IatiIdentifier, titles, l.Name, l.Latitude!.Value,
                            l.Longitude!.Value)));
            }
            after = page[^1].Id;
        }
        return new ProjectLocations(points, total, located, capped, limit);
    }

    private static List<IatiNarrative> TitlesOf(string json)
        => JsonSerializer.Deserialize(json, TitleJson.Default.ListIatiNarrative) ?? [];
}

/// <summary>
/// Picking an IATI narrative for a reader: their language, else the activity's default, else English, else the first.
/// </summary>
public static class Narratives
{
    public static (IatiNarrative? Narrative, bool IsFallback) Pick(IReadOnlyList<IatiNarrative> narratives,
        string language, string? defaultLanguage = null)
    {
        var own = narratives.FirstOrDefault(n => SameLanguage(n.Language, language) && n.Text.Length > 0);
        if (own is not null) return (own, false);
        var other = narratives.FirstOrDefault(n => defaultLanguage is not null
            && SameLanguage(n.Language, defaultLanguage) && n.Text.Length > 0)
            ?? narratives.FirstOrDefault(n => SameLanguage(n.Language, "en") && n.Text.Length > 0)
            ?? narratives.FirstOrDefault(n => n.Text.Length > 0);
        return (other, other is not null);
    }

    /// <summary>"zh" matches "zh" and "zh-CN": IATI uses ISO 639-1 codes, some publishers add a region.</summary>
    public static bool SameLanguage(string a, string b) =>
        string.Equals(a.Split('-')[0], b.Split('-')[0], StringComparison.OrdinalIgnoreCase);
}
