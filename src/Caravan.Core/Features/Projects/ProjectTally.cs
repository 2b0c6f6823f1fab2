using Caravan.Features.Money;

namespace Caravan.Features.Projects;

/// <summary>
/// One line of a total: a key (a direction, a state, a year, a stage; null for "none"), the converted sum, and what
/// could not be converted.
/// </summary>
public sealed record TotalLine(string? Key, decimal Amount, IReadOnlyList<Money.Money> Unconverted, int Transactions);

/// <summary>
/// A source of the rates a figure was converted with, the pair it quoted and the dates of the rates used.
/// </summary>
public sealed record RateUse(string Source, string From, string To, DateOnly FirstOn, DateOnly LastOn, int Rates);

/// <summary>
/// Adds up amounts in their original currencies into one currency, converting each (currency, value date) sum at
/// its value date. Nothing is rounded; an amount with no rate is kept apart per original currency (never dropped);
/// every rate used is remembered so its source can be shown beside the figures. Pure: no database.
/// </summary>
/// <remarks>Tallies of one answer (its dimensions) may share <paramref name="rates"/>, the set of rates used.</remarks>
public sealed class MoneyTally(CurrencyConverter converter, string currency, HashSet<ExchangeRate>? rates = null)
{
    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private readonly HashSet<ExchangeRate> _rates = rates ?? [];
    // One lookup per (currency, value date): the same dates recur across a total's lines and dimensions.
    private readonly Dictionary<(string, DateOnly), RatePath?> _paths = [];

    private RatePath? PathOf(string from, DateOnly on)
    {
        if (_paths.TryGetValue((from, on), out var path)) return path;
        _paths[(from, on)] = path = converter.PathOf(from, currency, on);
        if (path is not null) _rates.UnionWith(path.Rates);
        return path;
    }

    public string Currency => currency;

    // A null key ("no direction", "no state") is kept under a key no code can take.
    private const string NoKey = "\0";

    public void Add(string? key, decimal amount, string originalCurrency, DateOnly valueDate, int transactions = 1)
    {
        if (!_lines.TryGetValue(key ?? NoKey, out var line)) _lines[key ?? NoKey] = line = new Line();
        line.Transactions += transactions;
        if (amount == 0) return;
        if (PathOf(originalCurrency, valueDate) is { } path)
        {
            line.Amount += path.Apply(amount);
        }
        else
        {
            line.Unconverted[originalCurrency] = line.Unconverted.GetValueOrDefault(originalCurrency) + amount;
        }
    }

    public IReadOnlyList<TotalLine> Lines() =>
        [.. _lines.Select(kv => new TotalLine(kv.Key == NoKey ? null : kv.Key, kv.Value.Amount,
            [.. kv.Value.Unconverted.OrderBy(u => u.Key, StringComparer.Ordinal)
                .Select(u => new Money.Money(u.Value, u.Key))], kv.Value.Transactions))];

    /// <summary>The sum of every line: what a single total of the same amounts would be.</summary>
    public TotalLine Total()
    {
        var unconverted = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var u in _lines.Values.SelectMany(l => l.Unconverted)) unconverted[
            u.Key] = unconverted.GetValueOrDefault(u.Key) + u.Value;
        return new TotalLine(null, _lines.Values.Sum(l => l.Amount),
            [.. unconverted.Select(u => new Money.Money(u.Value, u.Key))], _lines.Values.Sum(l => l.Transactions));
    }

    public IReadOnlyList<RateUse> RatesUsed() => RateUses(_rates);

    public static IReadOnlyList<RateUse> RateUses(IEnumerable<ExchangeRate> rates) =>
        [.. rates.GroupBy(r => (r.Source, r.From, r.To))
            .Select(g => new RateUse(g.Key.Source, g.Key.From, g.Key.To, g.Min(r => r.On), g.Max(r => r.On), g.Count()))
            .OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.From, StringComparer.Ordinal)
            .ThenBy(r => r.To, StringComparer.Ordinal)];

    /// <summary>
    /// A recipient's share of an amount: exact in decimal (the percentage is the publisher's, 0–100).
    /// </summary>
    public static decimal Share(decimal amount, decimal percentage) => amount * percentage / 100m;

    private sealed class Line
    {
        public decimal Amount;
        public int Transactions;
        public readonly Dictionary<string, decimal> Unconverted = new(StringComparer.Ordinal);
    }
}
