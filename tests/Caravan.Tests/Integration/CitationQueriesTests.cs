using Caravan.Features.Sources;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// The sources of many records at once: a report of 10,000 commitments asks for the sources of 60,000 scores, more ids
/// than either database takes as parameters of one statement.
/// </summary>
public abstract class CitationQueriesTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sources_of_seventy_thousand_records_are_read_as_those_of_a_few()
    {
        await using var db = app.NewDbContext();
        var cited = await db.Citations.AsNoTracking().Where(c => c.SubjectType == SubjectTypes.Commitment)
            .Select(c => c.SubjectId).Distinct().OrderBy(id => id).Take(3).ToListAsync(Ct);
        Assert.NotEmpty(cited);
        var queries = new CitationQueries(db);
        var few = await queries.ForAsync(SubjectTypes.Commitment, cited, Ct);
        var many = await queries.ForAsync(SubjectTypes.Commitment,
            cited.Concat(Enumerable.Range(0, 70_000).Select(i => $"not-a-commitment-{i}")), Ct);
        Assert.Equal(few.Keys.Order(), many.Keys.Order());
        foreach (var id in cited) Assert.Equal(few[id].Select(s => s.Id), many[id].Select(s => s.Id));
    }
}

public sealed class CitationQueriesTestsOnSqlite(SqliteApp app) : CitationQueriesTests(app), IClassFixture<SqliteApp>;

public sealed class CitationQueriesTestsOnPostgres(PostgresApp app) : CitationQueriesTests(app), IClassFixture<PostgresApp>;
