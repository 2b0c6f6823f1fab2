using Caravan.Data;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Money;

/// <summary>
/// The stored table of rates: imported from CSV, read whole into a <see cref="CurrencyConverter"/> (a few thousand
/// rows).
/// </summary>
public static class ExchangeRates
{
    /// <summary>
    /// Stores the rates in one save (audited): new pairs and dates are added, a stored one is replaced.
    /// </summary>
    public static async Task<(int Added, int Replaced)> StoreAsync(CaravanDbContext db,
        IReadOnlyList<ExchangeRate> rates, CancellationToken ct)
    {
        var keys = rates.Select(r => r.From + r.To).Distinct().ToList();
        var stored = (await db.ExchangeRates.Where(r => keys.Contains(r.From + r.To)).ToListAsync(ct))
            .ToDictionary(r => (r.From, r.To, r.On));
        var added = 0;
        var replaced = 0;
        foreach (var rate in rates)
        {
            if (stored.TryGetValue((rate.From, rate.To, rate.On), out var old))
            {
                if (old == rate) continue;
                db.Entry(old).CurrentValues.SetValues(rate);
                replaced++;
                continue;
            }
            db.ExchangeRates.Add(rate);
            added++;
        }
        await db.SaveChangesAsync(ct);
        return (added, replaced);
    }

    public static async Task<CurrencyConverter> ConverterAsync(CaravanDbContext db, CancellationToken ct) =>
        new(await db.ExchangeRates.AsNoTracking().ToListAsync(ct));
}
