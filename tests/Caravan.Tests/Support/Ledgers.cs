using Caravan.Features.Programmes;
using Caravan.Shared;

namespace Caravan.Tests.Support;

/// <summary>
/// A pledge of a test's own (the seed's have their own ledgers) and the allocation entries sent against it: the
/// concurrency, two-node and outage tests fire these at the ledger's rules.
/// </summary>
public static class Ledgers
{
    public static async Task<string> ProgrammeAsync(CaravanApp app, decimal pledged, string unit, CancellationToken ct)
    {
        var id = $"test-{Guid.NewGuid():N}"[..20];
        await using var db = app.NewDbContext();
        db.Programmes.Add(new Programme
        {
            Id = id, Name = new LocalizedText { En = "Test pledge", Ru = "Тестовое обязательство", Zh = "测试承诺" },
            Kind = Programme.KindOf(unit), Unit = unit, Pledged = pledged, PledgedById = "CN",
            PeriodFrom = new DateOnly(2025, 1, 1), PeriodTo = new DateOnly(2025, 12, 31),
        });
        await db.SaveChangesAsync(ct);
        return id;
    }

    /// <summary>An allocation to a state in 2025, with the source every new figure needs.</summary>
    public static object Allocation(string state, string quantity) => new
    {
        state,
        values = new Dictionary<string, string> { ["kind"] = "allocation", ["year"] = "2025", ["on"] = "2025-06-01",
            ["quantity"] = quantity },
        sources = Cite.One("https://www.mofcom.gov.cn/example/grant-notice", "Grant agreement notice", "2025-06-01"),
    };
}
