using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// A body's website and contact e-mail, the field its readers asked for: proposed by the body's officer with a
/// source, published by the secretariat, then on the body's page and in the API with that source; refused
/// without a source, or when an address is not one, on the field it is about.
/// </summary>
public abstract class BodyContactTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Centre = "poverty-reduction-centre";
    private const string Website = "https://www.poverty-centre.example.org/en/";
    private const string Contact = "secretariat@poverty-centre.example.org";
    private const string SourceUrl = "https://www.poverty-centre.example.org/en/about/contacts";

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    private static object Change(string website, string contact, object[]? sources) => new
    {
        values = new Dictionary<string, string> { ["website"] = website, ["contact-address"] = contact },
        reason = "The centre's own contacts page", sources,
    };

    [Fact]
    public async Task The_officers_proposal_with_a_source_is_published_on_the_body_page_and_in_the_api()
    {
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: [Centre]);
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var proposed = await app.Api(officer).PutChangeAsync($"/api/v1/records/bodies/{Centre}",
            Change(Website, Contact, Cite.One(SourceUrl, "Contacts of the Poverty Reduction Centre", "2025-06")), Ct);
        Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, await proposed.Content.ReadAsStringAsync(Ct));
        var id = (await Json(proposed)).GetProperty("id").GetString();
        foreach (var step in new[] { "validate", "publish" })
        {
            var done = await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{id}/{step}", new { }, Ct);
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        var page = await app.Client().GetStringAsync($"/bodies/{Centre}", Ct);
        Assert.Contains($"<a href=\"{Website}\"", page);
        Assert.Contains($"<a href=\"mailto:{Contact}\">{Contact}</a>", page);
        Assert.Contains(SourceUrl, page);

        var bodies = await Json(await app.Client().GetAsync("/api/v1/bodies?kind=cooperation-centre", Ct));
        var centre = bodies.GetProperty("items").EnumerateArray().Single(b => b.GetProperty("id").GetString() == Centre);
        Assert.Equal(
            (Website, Contact), (centre.GetProperty("website").GetString(), centre.GetProperty("contactAddress").GetString()));
        Assert.Equal(
            [SourceUrl], centre.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()));
        var record = await Json(await app.Client().GetAsync($"/api/v1/records/bodies/{Centre}", Ct));
        Assert.Equal(Contact, record.GetProperty("values").GetProperty("contact-address").GetString());
    }

    [Fact]
    public async Task A_website_without_a_source_or_an_address_that_is_not_one_is_refused_on_its_field()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        async Task<string> StoredAsync() =>
            (await Json(await app.Client().GetAsync($"/api/v1/records/bodies/{Centre}", Ct))).GetProperty("values").GetRawText();
        var before = await StoredAsync();
        var unsourced = await app.Api(secretariat).PutChangeAsync($"/api/v1/records/bodies/{Centre}",
            Change("https://www.poverty-centre.example.org/ru/", "info@poverty-centre.example.org", null), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unsourced.StatusCode);
        Assert.Equal(["sources"], (await Json(unsourced)).GetProperty("errors").EnumerateObject().Select(p => p.Name));

        var invalid = await app.Api(secretariat, "ru").PutChangeAsync($"/api/v1/records/bodies/{Centre}",
            Change("www.poverty-centre.example.org", "secretariat at poverty-centre", Cite.One(SourceUrl)), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await Json(invalid)).GetProperty("errors");
        Assert.Equal(
            ["contact-address", "website"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Укажите полный веб-адрес, начинающийся с https://.", errors.GetProperty("website")[0].GetString());
        Assert.Contains("электронной почты", errors.GetProperty("contact-address")[0].GetString());

        Assert.Equal(before, await StoredAsync());
    }
}

public sealed class BodyContactTestsOnSqlite(SqliteApp app) : BodyContactTests(app), IClassFixture<SqliteApp>;

public sealed class BodyContactTestsOnPostgres(PostgresApp app) : BodyContactTests(app), IClassFixture<PostgresApp>;
