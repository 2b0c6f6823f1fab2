using Caravan.Features.Money;
using CsCheck;

namespace Caravan.Tests.Unit;

/// <summary>Currency conversion at the value date, without drift; rates from CSV, all or nothing.</summary>
public sealed class MoneyTests
{
    private static readonly ExchangeRate[] Rates =
    [
        new("USD", "CNY", new DateOnly(2025, 1, 2), 7.2993m, "test-pboc"),
        new("USD", "CNY", new DateOnly(2025, 6, 17), 7.1811m, "test-pboc"),
        new("USD", "KZT", new DateOnly(2025, 6, 17), 510.26m, "test-nbk"),
        new("KGS", "USD", new DateOnly(2025, 6, 17), 0.011435m, "test-nbkr"),
    ];

    private static readonly CurrencyConverter Converter = new(Rates);

    [Fact]
    public void The_rate_of_the_value_date_is_used_direct_inverse_or_through_usd()
    {
        var grant = new Money(1_500_000_000m, "CNY");
        var usd = Converter.Convert(grant, "USD", new DateOnly(2025, 6, 20))!;
        Assert.Equal(1_500_000_000m / 7.1811m, usd.Value.Amount); // inverse of USD→CNY, the rate of 17 June
        Assert.Equal("test-pboc", Assert.Single(usd.RatesUsed).Source);
        Assert.Equal(208_881_647.66m, usd.Rounded()); // rounded for presentation only
        var january = Converter.Convert(grant, "USD", new DateOnly(2025, 3, 1))!;
        Assert.Equal(new DateOnly(2025, 1, 2), january.RatesUsed[0].On);
        var kzt = Converter.Convert(new Money(1000m, "KGS"), "KZT", new DateOnly(2025, 7, 1))!;
        Assert.Equal(1000m * 0.011435m * 510.26m, kzt.Value.Amount); // KGS → USD → KZT
        Assert.Equal(2, kzt.RatesUsed.Count);
        Assert.Null(Converter.Convert(grant, "USD", new DateOnly(2024, 12, 31))); // no rate on or before: no figure, not a guess
        Assert.Null(Converter.Convert(grant, "EUR", new DateOnly(2025, 7, 1)));
    }

    [Fact]
    public void Property_converting_there_and_back_returns_the_original_exactly()
    {
        Gen.Select(Gen.Decimal[0.01m, 1_000_000_000m], Gen.Int[0, 2], Gen.Int[0, 2]).Sample((amount, a, b) =>
        {
            string[] currencies = ["CNY", "KZT", "KGS"];
            var original = new Money(Math.Round(amount, 2), currencies[a]);
            var there = Converter.Convert(original, currencies[b] == original.Currency ? "USD" : currencies[b], new DateOnly(2025, 7, 1))!;
            var back = Converter.Convert(there, original.Currency)!;
            Assert.Equal(original, back.Value);
            var further = Converter.Convert(Converter.Convert(there, "USD")!, original.Currency)!;
            Assert.Equal(original, further.Value);
        });
    }

    [Fact]
    public void Rates_from_csv_are_all_or_nothing_with_each_bad_cell_named()
    {
        var (rates, problems) = RateCsv.Parse(new StringReader("from,to,date,rate,source\nUSD,CNY,2025-06-17,7.1811,pboc\nUSD,KZT,2025-06-17,510.26,nbk\n"));
        Assert.Empty(problems);
        Assert.Equal(2, rates.Count);
        (rates, problems) = RateCsv.Parse(new StringReader("from,to,date,rate,source\nUSD,CNY,2025-06-17,7.1811,pboc\nusd,CNY,17.06.2025,\"7,18\",\nUSD,CNY,2025-06-17,7.2,pboc\n"));
        Assert.Empty(rates);
        Assert.Equal(["3:row:rates.columns", "4:date:rates.duplicate"], problems.Select(p => $"{p.Row}:{p.Column}:{p.Code}"));
        (_, problems) = RateCsv.Parse(new StringReader("from,to,date,rate,source\nusd,CNY,17.06.2025,-1,\n"));
        Assert.Equal(["from", "date", "rate", "source"], problems.Select(p => p.Column));
        Assert.Equal("rates.header", Assert.Single(RateCsv.Parse(new StringReader("a;b\n")).Problems).Code.Key);
    }
}
