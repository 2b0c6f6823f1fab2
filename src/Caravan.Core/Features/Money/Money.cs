using System.Globalization;
using System.Text.RegularExpressions;

namespace Caravan.Features.Money;

/// <summary>
/// An amount in a currency, as a source states it. The original is always kept; conversions are views of it.
/// </summary>
public readonly partial record struct Money(decimal Amount, string Currency)
{
    public static bool IsCurrencyCode(string? code) => code is not null && CurrencyCode().IsMatch(code);

    public override string ToString() => $"{Amount.ToString(CultureInfo.InvariantCulture)} {Currency}";

    [GeneratedRegex("^[A-Z]{3}$")] private static partial Regex CurrencyCode();
}

/// <summary>
/// One unit of <see cref="From"/> is worth <see cref="Rate"/> units of <see cref="To"/> on <see cref="On"/>, per
/// <see cref="Source"/> (a publisher and its page, shown next to every figure converted with it).
/// </summary>
public sealed record ExchangeRate(string From, string To, DateOnly On, decimal Rate, string Source);

/// <summary>
/// A converted amount, with the rates used (their sources are shown next to it) and the original it came from.
/// </summary>
public sealed record ConvertedMoney(Money Value, Money Original, DateOnly ValueDate,
    IReadOnlyList<ExchangeRate> RatesUsed)
{
    /// <summary>
    /// For presentation only: rounded to the currency's minor unit (CNY and USD 2, KZT 2, UZS 2…), half away from zero.
    /// </summary>
    public decimal Rounded(int decimals = 2) => Math.Round(Value.Amount, decimals, MidpointRounding.AwayFromZero);
}

/// <summary>
/// Conversion at the value date from a table of stored rates: the latest rate on or before the date, direct,
/// inverse, or through USD. Nothing is rounded here; and converting back to the original currency gives
/// the original exactly (the original is carried, not recomputed), so repeated conversions never drift.
/// </summary>
public sealed class CurrencyConverter
{
    private readonly Dictionary<(string, string), List<ExchangeRate>> _rates = [];

    public CurrencyConverter(IEnumerable<ExchangeRate> rates)
    {
        foreach (var r in rates)
        {
            if (!_rates.TryGetValue((r.From, r.To), out var list)) _rates[(r.From, r.To)] = list = [];
            list.Add(r);
        }
        foreach (var list in _rates.Values) list.Sort((a, b) => a.On.CompareTo(b.On));
    }

    public const string Pivot = "USD";

    /// <summary>
    /// The amount in <paramref name="currency"/> at <paramref name="valueDate"/>, or null when no rate reaches it.
    /// </summary>
    public ConvertedMoney? Convert(Money money, string currency, DateOnly valueDate)
        => Convert(new ConvertedMoney(money, money, valueDate, []), currency);

    /// <summary>
    /// Converts an already converted amount: back to its original currency it is the original itself.
    /// </summary>
    public ConvertedMoney? Convert(ConvertedMoney from, string currency)
    {
        if (currency == from.Original.Currency) return new ConvertedMoney(from.Original, from.Original, from.ValueDate,
            []);
        var original = from.Original;
        var path = PathOf(original.Currency, currency, from.ValueDate);
        if (path is null) return null;
        return new ConvertedMoney(new Money(path.Apply(original.Amount), currency), original, from.ValueDate,
            path.Rates);
    }

    /// <summary>
    /// The rates that take <paramref name="from"/> to <paramref name="to"/> at a date (empty for the same currency),
    /// or null when none reaches it. Totals look the path up once per (currency, value date) and apply it to each sum.
    /// </summary>
    public RatePath? PathOf(string from, string to, DateOnly on)
    {
        if (from == to) return RatePath.Identity;
        if (Step(from, to, on) is { } direct) return new RatePath([direct]);
        if (from != Pivot && to != Pivot && Step(from, Pivot, on) is { } first
            && Step(Pivot, to, on) is { } second) return new RatePath([first, second]);
        return null;
    }

    private (ExchangeRate, bool)? Step(string from, string to, DateOnly on)
    {
        var direct = Latest(from, to, on);
        var inverse = Latest(to, from, on);
        // The more recent of the direct and the inverse quotation; on a tie, the direct one.
        if (direct is not null && (inverse is null || direct.On >= inverse.On)) return (direct, false);
        return inverse is null ? null : (inverse, true);
    }

    /// <summary>
    /// The latest rate on or before the date: a binary search, as totals convert thousands of (currency, value date)
    /// groups.
    /// </summary>
    private ExchangeRate? Latest(string from, string to, DateOnly on)
    {
        if (!_rates.TryGetValue((from, to), out var list)) return null;
        int lo = 0, hi = list.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (list[mid].On <= on) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found < 0 ? null : list[found];
    }

    /// <summary>The currencies the table can convert between (each rate's two sides).</summary>
    public IReadOnlySet<string> Currencies
        => _rates.Keys.SelectMany(k => new[] { k.Item1, k.Item2 }).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// A conversion path: each rate applied directly (multiplied) or inversely (divided), in order, nothing rounded.
/// </summary>
public sealed class RatePath(IReadOnlyList<(ExchangeRate Rate, bool Inverse)> steps)
{
    public static readonly RatePath Identity = new([]);

    public IReadOnlyList<ExchangeRate> Rates { get; } = [.. steps.Select(s => s.Rate)];

    public decimal Apply(decimal amount)
    {
        foreach (var (rate, inverse) in steps) amount = inverse ? amount / rate.Rate : amount * rate.Rate;
        return amount;
    }
}
