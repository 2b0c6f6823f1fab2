using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// A collective status rests on the parties bound, not only on the scores given: the treaty's ratification,
/// with only Kyrgyzstan scored +1 of six parties, is not "complied", and every page and the API say
/// "1 of 6 parties assessed" beside it.
/// </summary>
public abstract class CollectiveStatusTests(CaravanApp app)
{
    private const string Treaty = "good-neighbourliness-treaty-ratification";

    public static TheoryData<string, string, string> Cultures => new()
    {
        { "en", "(1 of 6 parties assessed)", "assessed for some of their parties only" },
        { "zh", "(6 方中已评估 1 方)", "仅评估了部分参与方" },
        { "ru", "(оценено сторон: 1 из 6)", "оценены лишь по части сторон" },
    };

    private async Task<string> Page(string path, string culture) =>
        System.Net.WebUtility.HtmlDecode(await app.Client().GetStringAsync($"{path}{(path.Contains('?') ? '&' : '?')}culture={culture}", TestContext.Current.CancellationToken));

    private static string Row(string html, string marker, string end)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{marker} not found");
        return html[start..html.IndexOf(end, start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task The_api_gives_the_treaty_commitment_partly_with_one_of_six_parties_assessed()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = app.Client();
        var c = await client.GetFromJsonAsync<JsonElement>($"/api/v1/commitments/{Treaty}", ct);
        Assert.Equal("all-must-comply", c.GetProperty("combine").GetString());
        Assert.Equal(["KG"], c.GetProperty("assessments").EnumerateArray().Select(a => a.GetProperty("state").GetString()));
        Assert.Equal(("partly", 0d, 1, 6), (c.GetProperty("status").GetString(), c.GetProperty("collective").GetDouble(),
            c.GetProperty("partiesAssessed").GetInt32(), c.GetProperty("partiesBound").GetInt32()));
        // Every party scored: the fields say so (a Chinese centre binds China alone).
        var centre = await client.GetFromJsonAsync<JsonElement>("/api/v1/commitments/poverty-reduction-centre-2025", ct);
        Assert.Equal(("complied", 1, 1), (centre.GetProperty("status").GetString(), centre.GetProperty("partiesAssessed").GetInt32(), centre.GetProperty("partiesBound").GetInt32()));

        var kg = await client.GetFromJsonAsync<JsonElement>("/api/v1/dashboard/KG", ct);
        var item = kg.GetProperty("commitments").EnumerateArray().Single(x => x.GetProperty("id").GetString() == Treaty);
        Assert.Equal(("partly", 1, 6), (item.GetProperty("status").GetString(), item.GetProperty("partiesAssessed").GetInt32(), item.GetProperty("partiesBound").GetInt32()));
        var dashboard = await client.GetFromJsonAsync<JsonElement>("/api/v1/dashboard", ct);
        Assert.True(dashboard.GetProperty("all").GetProperty("partlyAssessed").GetInt32() >= 1);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public async Task The_pages_say_k_of_n_parties_assessed_beside_the_treaty_commitments_status(string culture, string kOfN, string tileText)
    {
        var list = await Page("/commitments", culture);
        var row = Row(list, $"href=\"/commitments/{Treaty}\"", "</tr>");
        Assert.Contains("commitment-partly", row);
        Assert.Contains(kOfN, row);
        // A commitment every party of which is scored says nothing more.
        Assert.DoesNotContain("parties-assessed", Row(list, "href=\"/commitments/poverty-reduction-centre-2025\"", "</tr>"));

        var detail = await Page($"/commitments/{Treaty}", culture);
        Assert.Contains(kOfN, Row(detail, "id=\"status\"", "</dd>"));

        var scorecards = await Page("/scorecards", culture);
        Assert.Contains(kOfN, Row(scorecards, $"data-commitment=\"{Treaty}\"", "</li>"));

        var state = await Page("/dashboard/KG", culture);
        Assert.Contains(kOfN, Row(state, $"data-commitment=\"{Treaty}\"", "</tr>"));

        var overview = await Page("/dashboard", culture);
        Assert.Contains("data-partly-assessed=", overview);
        Assert.Contains(tileText, overview);
    }
}

public sealed class CollectiveStatusTestsOnSqlite(SqliteApp app) : CollectiveStatusTests(app), IClassFixture<SqliteApp>;

public sealed class CollectiveStatusTestsOnPostgres(PostgresApp app) : CollectiveStatusTests(app), IClassFixture<PostgresApp>;
