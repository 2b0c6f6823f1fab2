using System.Globalization;
using System.Text;
using Caravan.Data;
using Caravan.Features.Money;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// The totals' cells against the transactions they sum (issue 18, item 4): random sequences of every write that moves
/// them — staged and unstaged IATI imports that add, change, unpublish and fail, umbrellas made and unmade, direct
/// edits of a project's direction, stage and publication, rates with new dates, and writes at once — after each of
/// which the cells must equal a rebuild from scratch, and every total read from the cells must equal the same total
/// read from the transactions, on both providers.
/// </summary>
public abstract class ProjectTotalCellsTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Currencies = ["CNY", "USD", "KZT"];
    private static readonly string[] Types = ["2", "3", "4"];
    private static readonly string[][] CountrySets =
    [
        ["""<recipient-country code="KZ" percentage="100"/>"""],
        ["""<recipient-country code="KZ" percentage="60"/>""", """<recipient-country code="UZ" percentage="40"/>"""],
        ["""<recipient-country code="KG" percentage="33.33"/>""", """<recipient-country code="TJ" percentage="66.67"/>"""],
        // Short of 100: a finding, and an unattributed rest.
        ["""<recipient-country code="TM" percentage="50"/>"""],
        [],
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task After_any_sequence_of_writes_the_cells_equal_a_rebuild_and_give_the_transactions_totals(int seed)
    {
        var random = new Random(seed);
        var prefix = $"CELLS-{seed}-{app.Provider}";
        List<string> directions;
        await using (var db = app.NewDbContext())
            directions = await db.PriorityDirections.Select(d => d.Id).OrderBy(d => d).ToListAsync(Ct);
        var steps = new List<string>();
        for (var step = 0; step < 24; step++)
        {
            var kind = random.Next(10);
            string done;
            if (kind < 4) done = await ImportAsync(random, prefix);
            else if (kind < 7) done = await EditAsync(random, prefix, directions);
            else if (kind < 8) done = await RatesAsync(random);
            else
            {
                // Writes at once: an import and two edits from three contexts; the writers' lock orders them.
                var (a, b, c) = (new Random(random.Next()), new Random(random.Next()), new Random(random.Next()));
                var all = await Task.WhenAll(ImportAsync(a, prefix), EditAsync(b, prefix, directions),
                    EditAsync(c, prefix, directions));
                done = "at once: " + string.Join(" + ", all);
            }
            steps.Add(done);
            await CheckAsync(directions, $"seed {seed}, step {step + 1}: {string.Join(" → ", steps)}");
        }
    }

    private async Task<string> ImportAsync(Random random, string prefix)
    {
        var activities = new List<string>();
        var count = random.Next(1, 6);
        for (var i = 0; i < count; i++) activities.Add(Activity(random, prefix, random.Next(12)));
        var file = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n{string.Concat(activities)}\n</iati-activities>";
        var broken = random.Next(8) == 0;
        // A file cut short fails its run: nothing of it may move a cell.
        if (broken) file = file[..(file.Length * 2 / 3)];
        var options = new IatiImportOptions
        {
            By = "test", FileName = "cells.xml", BatchSize = 2, Publish = random.Next(5) > 0,
            KeepPartial = !broken && random.Next(4) == 0,
        };
        await using var db = app.NewDbContext();
        var report = await IatiImport.RunAsync(db, IatiSamples.Stream(file), options, Ct);
        return $"import {count}{(broken ? " broken" : "")}{(options.KeepPartial ? " unstaged" : "")}"
            + $"{(options.Publish ? "" : " drafts")} ({report.Added} added, {report.Updated} updated)";
    }

    /// <summary>An activity from a pool of twelve per run: imports add and change them; some are children of P-0.</summary>
    private static string Activity(Random random, string prefix, int n)
    {
        var currency = Currencies[random.Next(Currencies.Length)];
        var transactions = new StringBuilder();
        for (var t = 0; t < random.Next(0, 5); t++)
        {
            var date = new DateOnly(2019, 1, 1).AddDays(random.Next(0, 7 * 365));
            var amount = random.Next(1, 5_000_000) + (random.Next(100) / 100m);
            var iso = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            transactions.Append(CultureInfo.InvariantCulture, $"""
                <transaction><transaction-type code="{Types[random.Next(Types.Length)]}"/><transaction-date iso-date="{iso}"/>
                <value currency="{currency}" value-date="{iso}">{amount.ToString(CultureInfo.InvariantCulture)}</value></transaction>
                """);
        }
        var parent = n > 0 && random.Next(4) == 0
            ? $"""<related-activity ref="{prefix}-0" type="1"/>"""
            : "";
        return $"""
            <iati-activity xml:lang="en" default-currency="{currency}">
              <iati-identifier>{prefix}-{n}</iati-identifier>
              <reporting-org ref="CN-MOFCOM" type="10"><narrative>Ministry of Commerce</narrative></reporting-org>
              <title><narrative>Project {n}</narrative></title>
              <description type="1"><narrative>Cells test.</narrative></description>
              <participating-org ref="CN-MOFCOM" role="1" type="10"><narrative>Ministry of Commerce</narrative></participating-org>
              <activity-status code="{random.Next(1, 7)}"/>
              <activity-date iso-date="2019-01-10" type="1"/>
              {string.Concat(CountrySets[random.Next(CountrySets.Length)])}
              <sector vocabulary="1" code="11330" percentage="100"/>
              {transactions}
              {parent}
            </iati-activity>
            """;
    }

    private async Task<string> EditAsync(Random random, string prefix, List<string> directions)
    {
        await using var db = app.NewDbContext();
        var ids = await db.Projects.Where(p => p.IatiIdentifier.StartsWith(prefix)).Select(p => p.Id).OrderBy(p => p)
            .ToListAsync(Ct);
        if (ids.Count == 0) return "edit (none yet)";
        var id = ids[random.Next(ids.Count)];
        var project = await db.Projects.SingleAsync(p => p.Id == id, Ct);
        project.DirectionId = random.Next(3) == 0 ? null : directions[random.Next(directions.Count)];
        project.StageOverride = random.Next(2) == 0 ? null : Enum.GetValues<ProjectStage>()[random.Next(6)];
        if (random.Next(4) == 0) project.Published = !project.Published;
        try
        {
            await db.SaveChangesAsync(Ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // An import at once changed it first: the edit is refused whole, as a person's would be.
            return $"edit {project.IatiIdentifier} refused";
        }
        return $"edit {project.IatiIdentifier}";
    }

    private async Task<string> RatesAsync(Random random)
    {
        var on = new DateOnly(2019, 1, 1).AddDays(random.Next(0, 7 * 365));
        List<ExchangeRate> rates =
        [
            new("USD", "CNY", on, 6.5m + (random.Next(100) / 100m), "https://example.org/rates"),
            new("KZT", "USD", on.AddDays(random.Next(30)), 0.002m, "https://example.org/rates"),
        ];
        await using var db = app.NewDbContext();
        await ProjectTotalCells.StoreRatesAsync(db, rates, Ct);
        return $"rates {on:yyyy-MM-dd}";
    }

    private async Task CheckAsync(List<string> directions, string after)
    {
        await using var db = app.NewDbContext();
        var stored = await CellsAsync(db);
        await using (var tx = await db.Database.BeginTransactionAsync(Ct))
        {
            await ProjectTotalCells.RebuildAsync(db, Ct);
            var rebuilt = await CellsAsync(db);
            await tx.RollbackAsync(Ct);
            Assert.True(rebuilt.SequenceEqual(stored), $"the cells differ from a rebuild after {after}:\n"
                + string.Join("\n", rebuilt.Except(stored).Select(c => "rebuild has " + c)
                    .Concat(stored.Except(rebuilt).Select(c => "stored has  " + c)).Take(12)));
        }
        var queries = new ProjectQueries(db);
        ProjectFilter[] filters =
        [
            new(), new(Direction: directions[0]), new(Stage: ProjectStage.Implementation), new(Status: "2"),
            new(Year: 2022), new(ExcludeFindings: true), new(Direction: directions[1], Year: 2021, ExcludeFindings: true),
        ];
        foreach (var filter in filters)
            foreach (var type in Types)
                foreach (var currency in (string[])["USD", "CNY"])
                {
                    var fromCells = await queries.TotalsFromCellsAsync(filter, type, currency, Ct);
                    Assert.NotNull(fromCells);
                    var fromTransactions = await queries.TotalsFromTransactionsAsync(filter, type, currency, Ct);
                    Assert.True(Text(fromTransactions) == Text(fromCells!),
                        $"{filter} type {type} in {currency} after {after}:\ntransactions: {Text(fromTransactions)}\ncells:        {Text(fromCells!)}");
                }
        var countries = await db.ProjectCountries
            .Where(c => db.Projects.Where(p => p.Published).Select(p => p.Id).Contains(c.ProjectId))
            .Select(c => c.CountryCode).Distinct().OrderBy(c => c).ToListAsync(Ct);
        Assert.Equal(countries, await queries.RecipientCountriesAsync(Ct));
    }

    private async Task<List<string>> CellsAsync(CaravanDbContext db) =>
        [.. (await db.Set<ProjectTotalCell>().AsNoTracking().ToListAsync(Ct))
            .Select(c => $"{c.Key} = {Norm(c.Amount)} / {c.Count}").Order(StringComparer.Ordinal)];

    // Trailing zeros dropped: 1.50 and 1.5 are the same figure.
    private static string Norm(decimal d) => (d / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static string Text(ProjectTotals t)
    {
        static string Lines(IEnumerable<TotalLine> lines) => string.Join("; ", lines.Select(l =>
            $"{l.Key ?? "-"}={Norm(l.Amount)}/{l.Transactions}{string.Concat(l.Unconverted.Select(u => $" +{Norm(u.Amount)} {u.Currency}"))}"));
        return $"total {Lines([t.Total])} | direction {Lines(t.ByDirection)} | state {Lines(t.ByState)} | year {Lines(t.ByYear)}"
            + $" | stage {Lines(t.ByStage)} | rates {string.Join(", ", t.Rates)} | umbrellas {t.UmbrellasExcluded}"
            + $" | findings {t.Findings}";
    }
}

public sealed class ProjectTotalCellsTestsOnSqlite(SqliteApp app) : ProjectTotalCellsTests(app), IClassFixture<SqliteApp>;

public sealed class ProjectTotalCellsTestsOnPostgres(PostgresApp app) : ProjectTotalCellsTests(app), IClassFixture<PostgresApp>;
