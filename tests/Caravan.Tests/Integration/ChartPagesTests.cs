using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caravan.Tests.Support;
using Caravan.Web.Features.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Tests.Integration;

/// <summary>
/// The charts as the pages serve them: titles distinct on each page, statuses in the one palette (by series on
/// /dashboard, by bar on a state's dashboard), and each chart with its table of the same categories beside it.
/// </summary>
public abstract partial class ChartPagesTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("<figure class=\"chart-figure[^\"]*\" id=\"(?<id>[^\"]+)\">\\s*<figcaption>(?<title>[^<]*)</figcaption>\\s*(?:<div class=\"chart\" data-chart=\"(?<spec>[^\"]*)\"|<p class=\"chart-empty-text\">)")]
    private static partial Regex Figure();

    private sealed record Drawn(string Id, string Title, JsonElement? Spec, string Html);

    private async Task<List<Drawn>> Charts(string url)
    {
        var response = await app.Client().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        return [.. Figure().Matches(html).Select(m => new Drawn(m.Groups["id"].Value, WebUtility.HtmlDecode(m.Groups["title"].Value),
            m.Groups["spec"].Success ? JsonDocument.Parse(WebUtility.HtmlDecode(m.Groups["spec"].Value)).RootElement : null, html))];
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh")]
    [InlineData("ru")]
    public async Task Every_chart_has_its_own_title_and_its_table_and_statuses_are_in_the_palette(string culture)
    {
        foreach (var url in new[] { "/dashboard", "/dashboard/CN", "/dashboard/KZ", "/indicators/trade-turnover-usd", "/partnerships" })
        {
            var charts = await Charts($"{url}?culture={culture}");
            Assert.NotEmpty(charts);
            Assert.Equal(charts.Count, charts.Select(c => c.Title).Distinct().Count());
            foreach (var c in charts)
            {
                Assert.False(string.IsNullOrWhiteSpace(c.Title), $"{url}: {c.Id} has no title");
                if (c.Spec is not { } spec) continue;
                // The table beside the chart lists every category the chart draws.
                var table = Regex.Match(c.Html, $"<table class=\"data\" id=\"{Regex.Escape(c.Id)}-table\">.*?</table>", RegexOptions.Singleline);
                Assert.True(table.Success, $"{url}: {c.Id} has no table");
                Assert.Equal(spec.GetProperty("categories").GetArrayLength(), Regex.Matches(table.Value, "<th scope=\"row\">").Count);
            }
        }

        var dashboard = await Charts($"/dashboard?culture={culture}");
        var directions = dashboard.Single(c => c.Id == "directions-chart").Spec!.Value;
        Assert.Equal(StatusPalette.All.Select(t => (t.Key, t.Color)),
            directions.GetProperty("series").EnumerateArray().Select(s => (s.GetProperty("tone").GetProperty("key").GetString()!, s.GetProperty("tone").GetProperty("color").GetString()!)));
        Assert.NotEqual(dashboard.Single(c => c.Id == "trade-chart").Title, dashboard.Single(c => c.Id == "trade-by-state-chart").Title);

        var state = (await Charts($"/dashboard/KZ?culture={culture}")).Single(c => c.Id == "status-chart").Spec!.Value;
        Assert.Equal(StatusPalette.All.Select(t => t.Color), state.GetProperty("categoryTones").EnumerateArray().Select(t => t.GetProperty("color").GetString()));
    }
}

public abstract partial class ChartPagesTests
{
    /// <summary>The chart partial rendered by the app's own view engine, in a culture.</summary>
    private async Task<string> Render(Chart chart, string culture)
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var http = new DefaultHttpContext { RequestServices = services };
        var view = services.GetRequiredService<ICompositeViewEngine>().GetView(null, "/Features/Shared/_Chart.cshtml", isMainPage: false).View!;
        await using var writer = new StringWriter();
        var data = new ViewDataDictionary<Chart>(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = chart };
        var context = new ViewContext(new ActionContext(http, new RouteData(), new ActionDescriptor()), view, data,
            new TempDataDictionary(http, services.GetRequiredService<ITempDataProvider>()), writer, new HtmlHelperOptions());
        var before = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
        try { await view.RenderAsync(context); }
        finally { (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = before; }
        return WebUtility.HtmlDecode(writer.ToString());
    }

    [Theory]
    [InlineData("en", "No figures reported yet.")]
    [InlineData("zh", "暂无已报告的数据。")]
    [InlineData("ru", "Данных пока нет.")]
    public async Task A_chart_with_nothing_to_draw_is_a_sentence_not_empty_axes(string culture, string sentence)
    {
        var unknown = new Chart("trips", "Trips", "", "bar", "Year", ["2024", "2025"], [new("Trips", [null, null])]);
        var html = await Render(unknown, culture);
        Assert.Contains($"<p class=\"chart-empty-text\">{sentence}</p>", html);
        Assert.DoesNotContain("data-chart", html);
        Assert.Contains("id=\"trips-table\"", html); // the years not known, listed as such

        var nothing = new Chart("none", "Nothing", "", "line", "Year", [], [], Empty: "Not one entry yet.");
        html = await Render(nothing, culture);
        Assert.Contains("<p class=\"chart-empty-text\">Not one entry yet.</p>", html);
        Assert.DoesNotContain("<table", html);

        var drawn = await Render(new Chart("one", "One", "", "bar", "Year", ["2025"], [new("Trips", [3m])]), culture);
        Assert.Contains("class=\"chart\" data-chart=", drawn);
        Assert.DoesNotContain("chart-empty-text", drawn);
    }
}

public sealed class ChartPagesTestsOnSqlite(SqliteApp app) : ChartPagesTests(app), IClassFixture<SqliteApp>;

public sealed class ChartPagesTestsOnPostgres(PostgresApp app) : ChartPagesTests(app), IClassFixture<PostgresApp>;
