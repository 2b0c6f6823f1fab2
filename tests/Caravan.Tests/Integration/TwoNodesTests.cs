using System.Net;
using System.Net.Http.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Programmes;
using Caravan.Shared;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Two Caravan processes writing on one database, as two web nodes would: every write appends to the one audit chain
/// and none answers 500 (before, 18 of 112 did: a duplicate chain position); a pledge's balance holds when the two
/// allocations that would overspend it arrive at the two nodes at once.
/// </summary>
public abstract class TwoNodesTests(CaravanApp app) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private SecondNode? _node;
    private SecondNode Node => _node!;
    private static readonly string[] States = ["KZ", "KG", "TJ", "TM", "UZ"];

    public async ValueTask InitializeAsync() => _node = await SecondNode.StartAsync(app, Ct);

    public async ValueTask DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }

    [Fact]
    public async Task Writes_sent_to_two_nodes_at_once_are_all_saved_and_chained_and_none_answers_500()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1_000_000m, "CNY", Ct);
        var (here, there) = (app.Api(secretariat), Node.Api(secretariat));
        var answers = await Task.WhenAll(Enumerable.Range(0, 112).Select(i =>
            (i % 2 == 0 ? here : there).PostAsJsonAsync($"/api/v1/programmes/{id}/entries",
                Ledgers.Allocation(States[i % States.Length], "1"), Ct)));
        var failed = new List<string>();
        foreach (var answer in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
            failed.Add($"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync(Ct)}");
        await TestReport.AddAsync($" 112 writes at two nodes ({app.Provider}): {failed.Count} failed");
        Assert.True(failed.Count == 0, $"{failed.Count} of 112 failed: {string.Join(" | ", failed.Take(3))}\n{Node.Output}");

        await using var db = app.NewDbContext();
        Assert.Equal(112m, await db.ProgrammeEntries.Where(e => e.ProgrammeId == id).SumAsync(e => e.Quantity, Ct));
        var verified = new Caravan.Features.Audit.AuditQueries(db).Verify();
        Assert.True(verified.Intact, verified.Describe());
    }

    /// <summary>
    /// Each node has a keys folder of its own (as two machines would); the data-protection keys are in the database, so
    /// an invitation link made by this node is accepted by the other, whose own form's antiforgery token it checks too.
    /// Before, with the keys on each node's disk, the other node answered "this link is not valid".
    /// </summary>
    [Fact]
    public async Task An_invitation_link_made_on_one_node_is_accepted_on_the_other()
    {
        string link;
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(app.Services))
        {
            var accounts = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                .GetRequiredService<Caravan.Web.Features.Accounts.AccountService>(scope.ServiceProvider);
            var email = $"two-nodes-{Guid.NewGuid():N}@example.org";
            var (_, made, errors) = await accounts.InviteAsync(email, "Two nodes", CaravanRole.NationalCoordinator, "KZ", [],
                new Caravan.Features.Audit.AuditActor("test", "system", "test"), "test");
            Assert.Empty(errors);
            link = new Uri(new Uri("http://localhost"), made!).PathAndQuery;
        }
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var there = new HttpClient(handler) { BaseAddress = Node.BaseAddress };
        var page = await there.GetStringAsync(link, Ct);
        var antiforgery = System.Text.RegularExpressions.Regex.Match(page, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        Assert.True(antiforgery.Success, page);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(Node.BaseAddress, link).Query);
        var answer = await there.PostAsync("/account/invitation", new FormUrlEncodedContent(
        [
            new("user", query["user"]!), new("token", query["token"]!), new("password", "correct horse battery staple"),
            new("confirm", "correct horse battery staple"), new("__RequestVerificationToken", WebUtility.HtmlDecode(antiforgery.Groups[1].Value)),
        ]), Ct);
        var html = await answer.Content.ReadAsStringAsync(Ct);
        Assert.True(answer.StatusCode == HttpStatusCode.OK && html.Contains("role=\"status\"", StringComparison.Ordinal), html);
        await using var db = app.NewDbContext();
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync(Ct));
        // The keys never reach the audit trail.
        Assert.False(await db.AuditEntries.AnyAsync(a => a.SubjectType.Contains("ProtectionKey") || (a.After != null && a.After.Contains("<key ")), Ct));
    }

    /// <summary>
    /// The sign-in limit is one count for the whole deployment: two nodes allowing 3 attempts a minute each let through 3
    /// from one address in all, not 3 at each (before, each node counted in its own memory).
    /// </summary>
    [Fact]
    public async Task The_sign_in_limit_per_address_holds_across_nodes()
    {
        var limited = new[] { new KeyValuePair<string, string>("Caravan:Accounts:SignInAttemptsPerMinute", "3") };
        await using var first = await SecondNode.StartAsync(app, Ct, limited);
        await using var second = await SecondNode.StartAsync(app, Ct, limited);
        static async Task<HttpStatusCode> AttemptAsync(SecondNode node, int i)
        {
            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            using var http = new HttpClient(handler) { BaseAddress = node.BaseAddress };
            var form = await http.GetStringAsync("/account/sign-in", Ct);
            var token = System.Text.RegularExpressions.Regex.Match(form, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
            var answer = await http.PostAsync("/account/sign-in", new FormUrlEncodedContent(
            [
                new("email", "nobody@example.org"), new("password", $"guess number {i}"),
                new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)),
            ]), Ct);
            return answer.StatusCode;
        }
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add(await AttemptAsync(i % 2 == 0 ? first : second, i));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_node_killed_during_writes_loses_no_acknowledged_write_and_a_new_node_starts_and_writes()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1_000_000m, "CNY", Ct);
        var there = Node.Api(secretariat);
        var acknowledged = 0;
        var cut = 0;
        async Task WriteAsync(int writer)
        {
            for (var n = 0; ; n++)
            {
                try
                {
                    var answer = await there.PostAsJsonAsync($"/api/v1/programmes/{id}/entries",
                        Ledgers.Allocation(States[(writer + n) % States.Length], "1"), Ct);
                    Assert.True(answer.StatusCode == HttpStatusCode.Created, await answer.Content.ReadAsStringAsync(Ct));
                    Interlocked.Increment(ref acknowledged);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref cut); // the node died with this write in flight
                    return;
                }
            }
        }
        var writers = Enumerable.Range(0, 4).Select(WriteAsync).ToList();
        // Mid-traffic: once the node has acknowledged some writes (a cold node answers its first ones slowly).
        for (var waited = 0; Volatile.Read(ref acknowledged) < 20 && waited < 600; waited++) await Task.Delay(50, Ct);
        await Node.DisposeAsync(); // kill -9 (Process.Kill)
        await Task.WhenAll(writers);
        _node = await SecondNode.StartAsync(app, Ct);
        var again = await Node.Api(secretariat).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation("KZ", "1"), Ct);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);

        await using var db = app.NewDbContext();
        var stored = await db.ProgrammeEntries.CountAsync(e => e.ProgrammeId == id, Ct);
        await TestReport.AddAsync($" node killed mid-writes ({app.Provider}): {acknowledged} acknowledged, {cut} cut in flight, "
            + $"{stored - 1} stored, chain intact");
        Assert.True(acknowledged > 0 && cut > 0, $"{acknowledged} acknowledged, {cut} cut");
        // Each write in flight when the node died is either wholly stored or not at all.
        Assert.InRange(stored - 1, acknowledged, acknowledged + cut);
        var verified = new Caravan.Features.Audit.AuditQueries(db).Verify();
        Assert.True(verified.Intact, verified.Describe());
        var audited = await db.AuditEntries.CountAsync(a => a.SubjectType == "programme-entry" && a.SubjectId.StartsWith(id + ":"), Ct);
        Assert.Equal(stored, audited);
    }

    [Fact]
    public async Task Two_allocations_that_together_overspend_sent_to_the_two_nodes_record_exactly_one()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var (here, there) = (app.Api(secretariat), Node.Api(secretariat));
        var violations = new List<string>();
        for (var round = 0; round < 20; round++)
        {
            var id = await Ledgers.ProgrammeAsync(app, 1_500_000_000m, "CNY", Ct);
            var answers = await Task.WhenAll(
                here.PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation("KZ", "1000000000"), Ct),
                there.PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation("UZ", "1000000000"), Ct));
            await using var db = app.NewDbContext();
            var allocated = await db.ProgrammeEntries.Where(e => e.ProgrammeId == id).SumAsync(e => e.Quantity, Ct);
            var statuses = answers.Select(a => a.StatusCode).ToList();
            if (statuses.Count(s => s == HttpStatusCode.Created) != 1
                || statuses.Count(s => s == HttpStatusCode.BadRequest) != 1 || allocated != 1_000_000_000m)
                violations.Add($"round {round}: {string.Join(", ", statuses)}; {allocated} allocated");
        }
        await TestReport.AddAsync($" two allocations at two nodes ({app.Provider}): 20 rounds, {violations.Count} violations");
        Assert.Empty(violations);
    }
}

public sealed class TwoNodesTestsOnSqlite(SqliteApp app) : TwoNodesTests(app), IClassFixture<SqliteApp>;

public sealed class TwoNodesTestsOnPostgres(PostgresApp app) : TwoNodesTests(app), IClassFixture<PostgresApp>;
