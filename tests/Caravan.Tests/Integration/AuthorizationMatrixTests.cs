using System.Net.Http.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Indicators;
using Caravan.Features.Submissions;
using Caravan.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Tests.Integration;

/// <summary>
/// The authorization matrix, generated from the route table: every mutating endpoint × every role ×
/// every member state (and anonymous) → the answer the rules below expect, asserted over HTTP. The rules
/// are written here in plain terms, independently of the code under test; an endpoint without a rule
/// fails the test, so a new endpoint cannot ship unscoped.
/// </summary>
public abstract class AuthorizationMatrixTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] States = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];
    private const string OfficersBody = "secretariat";
    private const string OtherBody = "business-council";

    /// <summary>Who calls: the public, the secretariat, a read-only token, a coordinator of each state, an officer.</summary>
    private sealed record Who(string Label, Person? Person)
    {
        public CaravanRole? Role => Person?.Role;
        public string? State => Person?.StateId;
        public bool IsSecretariat => Role is CaravanRole.SecretariatAdmin or CaravanRole.SecretariatEditor && !ReadOnly;
        public bool ReadOnly { get; init; }
    }

    /// <summary>What a request is made on: a record or a submission, about some states or bodies.</summary>
    private sealed record Target(string Label, string[] States, string[] Bodies, Func<Who, Task<(string Url, object Body)>> Prepare, Person? Author = null);

    private sealed record Rule(Func<Task<List<Target>>> Targets, Func<Who, Target, int> Expect);

    private readonly Dictionary<string, Person> _coordinators = [];
    private Person _officer = null!;
    private readonly List<Who> _callers = [];

    [Fact]
    public async Task Every_mutating_endpoint_answers_every_role_and_state_as_the_rules_say()
    {
        var endpoints = await MutatingEndpointsAsync();
        var rules = ApiRules();
        var pageRules = PageRules();
        var unruled = endpoints.Where(e => !rules.ContainsKey(e) && !pageRules.ContainsKey(e)).ToList();
        Assert.True(unruled.Count == 0, $"No rule in the authorization matrix for: {string.Join(", ", unruled)}");
        Assert.Empty(rules.Keys.Concat(pageRules.Keys).Except(endpoints)); // a rule for a route that no longer exists

        var callers = _callers;
        callers.Add(new("anonymous", null));
        callers.Add(new("secretariat-admin", await People.CreateAsync(app, CaravanRole.SecretariatAdmin)));
        callers.Add(new("secretariat-editor", await People.CreateAsync(app, CaravanRole.SecretariatEditor)));
        callers.Add(new("read-only token", await People.CreateAsync(app, CaravanRole.SecretariatAdmin, readOnlyToken: true)) { ReadOnly = true });
        foreach (var state in States)
        {
            _coordinators[state] = await People.CreateAsync(app, CaravanRole.NationalCoordinator, state);
            callers.Add(new($"coordinator:{state}", _coordinators[state]));
        }
        _officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: [OfficersBody]);
        callers.Add(new($"officer:{OfficersBody}", _officer));
        await EnsureAFigurePerStateAsync();

        var cases = 0;
        var failures = new List<string>();
        foreach (var (endpoint, rule) in rules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var method = new HttpMethod(endpoint.Split(' ')[0]);
            foreach (var target in await rule.Targets())
                foreach (var who in callers)
                {
                    var (url, body) = await target.Prepare(who);
                    const string submission = "/api/v1/submissions/{id}";
                    var pattern = endpoint.Split(' ')[1];
                    if (pattern.StartsWith(submission, StringComparison.Ordinal)) url += pattern[submission.Length..]; // the step: /validate, /confirm…
                    using var request = new HttpRequestMessage(method, url)
                    {
                        Content = body switch
                        {
                            "multipart" => new MultipartFormDataContent { { new ByteArrayContent("%PDF-1.4 matrix"u8.ToArray()), "file", "matrix.pdf" } },
                            Sheet sheet => new StringContent(sheet.Csv, System.Text.Encoding.UTF8, "text/csv"),
                            string xml when xml.StartsWith('<') => new StringContent(xml, System.Text.Encoding.UTF8, "application/xml"),
                            string csv when csv.StartsWith("from,", StringComparison.Ordinal) => new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"),
                            _ => JsonContent.Create(body),
                        },
                    };
                    // An update names the version it changes, as a client does: the ETag of what it read, if it may.
                    if (method == HttpMethod.Put && (await app.Api(who.Person).GetAsync(url, Ct)).Headers.ETag is { } tag)
                        request.Headers.IfMatch.Add(tag);
                    var response = await app.Api(who.Person).SendAsync(request, Ct);
                    var expected = rule.Expect(who, target);
                    cases++;
                    if ((int)response.StatusCode != expected)
                        failures.Add($"{endpoint} on {target.Label} as {who.Label}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
                }
        }
        foreach (var (endpoint, policy) in pageRules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            // Pages: their policy is the one the matrix names, and the public is sent to sign in (or,
            // on the public forms, refused without a valid antiforgery token).
            Assert.Equal(policy, await PagePolicyAsync(endpoint));
            var response = await app.Client().PostAsync(endpoint.Split(' ')[1], new FormUrlEncodedContent([]), Ct);
            var expected = policy == "anonymous" ? 400 : 302;
            cases++;
            if ((int)response.StatusCode != expected || (expected == 302 && !response.Headers.Location!.OriginalString.Contains("/account/sign-in", StringComparison.Ordinal)))
                failures.Add($"{endpoint} as anonymous: expected {expected}, got {(int)response.StatusCode} {response.Headers.Location}");
        }
        var summary = $"authorization matrix ({app.Provider}): {cases} cases over {endpoints.Count} mutating endpoints and {callers.Count} callers, {failures.Count} failed";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("CARAVAN_TEST_REPORT") is { Length: > 0 } report) await File.AppendAllTextAsync(report, summary + Environment.NewLine, Ct);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.True(cases > 800, $"only {cases} cases");
    }

    // ---- The rules -------------------------------------------------------------------------------

    private static int Anonymous => 401;

    /// <summary>Direct for the secretariat, a submission for those whose record it is, 403 for anyone else.</summary>
    private static int ChangeRecord(Who who, Target t, int applied) => who switch
    {
        { Person: null } => Anonymous,
        { ReadOnly: true } => 403,
        { IsSecretariat: true } => applied,
        { Role: CaravanRole.NationalCoordinator } when t.States.Contains(who.State) => 202,
        { Role: CaravanRole.ProgrammeOfficer } when t.Bodies.Any(who.Person!.Bodies.Contains) => 202,
        _ => 403,
    };

    /// <summary>
    /// On a submission: the public must sign in; those who may not see it get 404 (its existence does
    /// not leak); those who may see it but not take the step get 403; <paramref name="allowed"/> get 200.
    /// </summary>
    private static int Step(Who who, Target t, Func<Who, bool> allowed)
    {
        if (who.Person is null) return Anonymous;
        var sees = who.Role is CaravanRole.SecretariatAdmin or CaravanRole.SecretariatEditor
            || (who.Role == CaravanRole.NationalCoordinator && t.States.Contains(who.State))
            || (who.Role == CaravanRole.ProgrammeOfficer && t.Bodies.Any(who.Person.Bodies.Contains));
        if (!sees) return 404;
        if (who.ReadOnly) return 403;
        return allowed(who) ? 200 : 403;
    }

    private static bool IsAuthor(Who who, Target t) => who.Person is not null && who.Person.Id == t.Author?.Id;

    private Dictionary<string, Rule> ApiRules() => new(StringComparer.Ordinal)
    {
        ["PUT /api/v1/records/{kind}/{id}"] = new(RecordTargets, (who, t) => ChangeRecord(who, t, 200)),
        ["POST /api/v1/records/{kind}"] = new(NewFigureTargets, (who, t) => ChangeRecord(who, t, 201)),
        ["PUT /api/v1/submissions/{id}"] = new(() => SubmissionTargets(SubmissionStatus.Draft), (who, t) => Step(who, t, w => IsAuthor(w, t))),
        ["POST /api/v1/submissions/{id}/submit"] = new(() => SubmissionTargets(SubmissionStatus.Draft), (who, t) => Step(who, t, w => IsAuthor(w, t))),
        ["POST /api/v1/submissions/{id}/withdraw"] = new(() => SubmissionTargets(SubmissionStatus.Submitted), (who, t) => Step(who, t, w => IsAuthor(w, t))),
        ["POST /api/v1/submissions/{id}/comment"] = new(() => SubmissionTargets(SubmissionStatus.Submitted), (who, t) => Step(who, t, _ => true)),
        ["POST /api/v1/submissions/{id}/validate"] = new(() => SubmissionTargets(SubmissionStatus.Submitted), (who, t) => Step(who, t, w => w.IsSecretariat)),
        ["POST /api/v1/submissions/{id}/return"] = new(() => SubmissionTargets(SubmissionStatus.Submitted), (who, t) => Step(who, t, w => w.IsSecretariat)),
        ["POST /api/v1/submissions/{id}/publish"] = new(() => SubmissionTargets(SubmissionStatus.Validated), (who, t) => Step(who, t, w => w.IsSecretariat)),
        // Confirmations: only a coordinator of a state the record is about, on a record about several states or about a state and run by a body.
        ["POST /api/v1/submissions/{id}/confirm"] = new(ConfirmationTargets, (who, t) => Step(who, t, w => NeedsConfirmation(t) && w.Role == CaravanRole.NationalCoordinator)),
        ["POST /api/v1/submissions/{id}/disagree"] = new(ConfirmationTargets, (who, t) => Step(who, t, w => NeedsConfirmation(t) && w.Role == CaravanRole.NationalCoordinator)),
        // A programme's ledger entry: as any record of its state and the body that runs the programme.
        ["POST /api/v1/programmes/{id}/entries"] = new(ProgrammeEntryTargets, (who, t) => ChangeRecord(who, t, 201)),
        // Importing a document's text: the secretariat only (each import is a new version).
        ["POST /api/v1/documents/{id}/texts"] = new(() => Task.FromResult<List<Target>>([new("a document", [], [], _ =>
            Task.FromResult(("/api/v1/documents/astana-declaration-2025/texts", (object)new { language = "en", text = "1. The parties declare.\n2. The parties agree." })))]),
            (who, _) => who switch
            {
                { Person: null } => Anonymous,
                { IsSecretariat: true } => 201,
                _ => 403,
            }),
        // Attaching a file to a document: the secretariat only.
        ["POST /api/v1/documents/{id}/attachments"] = new(() => Task.FromResult<List<Target>>([new("a document", [], [], _ =>
            Task.FromResult(("/api/v1/documents/astana-declaration-2025/attachments", (object)"multipart")))]),
            (who, _) => who switch
            {
                { Person: null } => Anonymous,
                { IsSecretariat: true } => 201,
                _ => 403,
            }),
        // Bulk upload of projects (CSV/XLSX): the secretariat only; each allowed upload creates a project of its own.
        ["POST /api/v1/projects/bulk"] = new(() => Task.FromResult<List<Target>>([new("a project sheet", [], [], _ =>
            Task.FromResult(("/api/v1/projects/bulk", (object)new Sheet(
                $"external_id,title_en,description_en,status,planned_start\r\nmatrix-{Guid.NewGuid():N},Matrix,A project of the matrix.,1,2026-01-01\r\n"))))]),
            SecretariatOnly(200)),
        // Importing projects (IATI) and exchange rates: the secretariat only.
        ["POST /api/v1/projects/import"] = new(() => Task.FromResult<List<Target>>([new("an IATI file", [], [], _ =>
            Task.FromResult(("/api/v1/projects/import", (object)IatiSamples.File(IatiSamples.Activity("MATRIX-1")))))]), SecretariatOnly(200)),
        ["POST /api/v1/exchange-rates"] = new(() => Task.FromResult<List<Target>>([new("a rates file", [], [], _ =>
            Task.FromResult(("/api/v1/exchange-rates", (object)"from,to,date,rate,source\nUSD,CNY,2025-01-02,7.1879,matrix test")))]), SecretariatOnly(200)),
        // The culture and tourism capital selection: the secretariat runs the call; a coordinator nominates for their own
        // state; a juror's seat is theirs alone (not even the secretariat scores or declares a conflict on it).
        ["POST /api/v1/selections"] = new(() => Task.FromResult<List<Target>>([new("a new call", [], [], _ =>
            Task.FromResult(("/api/v1/selections", (object)new
            {
                title = new { en = $"Matrix call {Guid.NewGuid():N}" }, nominationsFrom = "2030-01-01", nominationsTo = "2030-02-01", scoringDeadline = "2030-03-01",
                criteria = new[] { new { name = new { en = "Heritage" }, weight = 1 } },
            })))]), SecretariatOnly(201)),
        ["POST /api/v1/selections/{id}/nominations"] = new(() => SelectionTargets("a call open for nominations", async _ =>
            ($"/api/v1/selections/{await NewCallAsync(Caravan.Features.Selections.SelectionPhase.Nominating)}/nominations", new { city = new { en = "Matrix city" } })),
            (who, _) => who switch
            {
                { Person: null } => Anonymous,
                { ReadOnly: true } => 403,
                { Role: CaravanRole.NationalCoordinator } => 201,
                _ => 403,
            }),
        // Each caller's own state has a nomination to take back (the secretariat's and the officer's: Uzbekistan's).
        ["POST /api/v1/selections/{id}/nominations/withdraw"] = new(() => SelectionTargets("a call open for nominations with the caller's state nominated", async who =>
            ($"/api/v1/selections/{await NewCallAsync(Caravan.Features.Selections.SelectionPhase.Nominating, nominee: who.State ?? "UZ")}/nominations/withdraw", new { })),
            (who, _) => who switch
            {
                { Person: null } => Anonymous,
                { ReadOnly: true } => 403,
                { Role: CaravanRole.NationalCoordinator } => 200,
                _ => 403,
            }),
        ["POST /api/v1/selections/{id}/jurors"] = new(() => SelectionTargets("a draft call", async _ =>
            ($"/api/v1/selections/{await NewCallAsync(Caravan.Features.Selections.SelectionPhase.Draft)}/jurors", new { user = _officer.Email })), SecretariatOnly(201)),
        ["POST /api/v1/selections/{id}/conflicts"] = new(() => SelectionTargets("a call with the KZ coordinator on its jury", async _ =>
            ($"/api/v1/selections/{await NewCallAsync(Caravan.Features.Selections.SelectionPhase.Nominating, juror: _coordinators["KZ"])}/conflicts", new { state = "TJ", reason = "matrix" })),
            (who, _) => OnlyTheJuror(who, 201)),
        ["POST /api/v1/selections/{id}/scores"] = new(() => SelectionTargets("a call in scoring with the KZ coordinator on its jury", async _ =>
        {
            var id = await NewCallAsync(Caravan.Features.Selections.SelectionPhase.Scoring, nominee: "UZ", juror: _coordinators["KZ"]);
            return ($"/api/v1/selections/{id}/scores", new { nomination = $"{id}-uz", scores = new[] { new { criterion = "c1", value = 7 } } });
        }), (who, _) => OnlyTheJuror(who, 200)),
        ["POST /api/v1/selections/{id}/phase"] = new(() => SelectionTargets("a draft call", async _ =>
            ($"/api/v1/selections/{await NewCallAsync(Caravan.Features.Selections.SelectionPhase.Draft)}/phase", new { phase = "nominating" })), SecretariatOnly(200)),
        ["POST /api/v1/selections/{id}/decision"] = new(() => SelectionTargets("a closed call", async _ =>
        {
            var id = await NewCallAsync(Caravan.Features.Selections.SelectionPhase.Closed, nominee: "UZ");
            return ($"/api/v1/selections/{id}/decision", new { nomination = $"{id}-uz", decidedOn = "2030-04-01", rationale = new { en = "matrix" } });
        }), SecretariatOnly(200)),
        ["POST /api/v1/selections/{id}/publish"] = new(() => SelectionTargets("a closed call with its decision recorded", async _ =>
            ($"/api/v1/selections/{await NewCallAsync(Caravan.Features.Selections.SelectionPhase.Closed, nominee: "UZ", decided: true)}/publish", new { })), SecretariatOnly(200)),
        // Closing a reporting period (freezing its snapshot): the secretariat only.
        ["POST /api/v1/snapshots"] = new(PeriodTargets, (who, _) => who switch
        {
            { Person: null } => Anonymous,
            { IsSecretariat: true } => 201,
            _ => 403,
        }),
        // Reporting rounds: the secretariat opens (a fresh period each time, one open round per period) and closes them.
        ["POST /api/v1/rounds"] = new(() => Task.FromResult<List<Target>>([new("an open reporting period", [], [], async _ =>
            ("/api/v1/rounds", new { name = new { en = "Matrix round" }, period = await NewPeriodAsync(), dueOn = "2031-01-31" }))]),
            SecretariatOnly(201)),
        ["POST /api/v1/rounds/{id}/close"] = new(() => Task.FromResult<List<Target>>([new("an open round", [], [], async _ =>
            ($"/api/v1/rounds/{await NewRoundAsync()}/close", new { }))]), SecretariatOnly(200)),
        // Answering a round by spreadsheet (a preview: nothing stored, so every caller meets the same sheet): a
        // coordinator for their own state, the secretariat for any; officers and other states are refused.
        ["POST /api/v1/rounds/{id}/sheet"] = new(async () =>
        {
            var round = await NewRoundAsync();
            var secretariat = _callers.First(c => c.IsSecretariat).Person;
            var task = (await app.Api(secretariat).GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/rounds/{round}?state=KZ&kind=assessment", Ct))
                .GetProperty("tasks")[0].GetProperty("key").GetString();
            return [new Target("KZ's answers to a round (preview)", ["KZ"], [], _ => Task.FromResult(($"/api/v1/rounds/{round}/sheet?state=KZ&preview=true",
                (object)new Sheet($"task,value,note,source,source-title,source-date,source-language,confidence\r\n{task},1,Done.,https://example.org/matrix,Matrix,2026-01-01,en,high\r\n"))))];
        }, (who, _) => who switch
        {
            { Person: null } => Anonymous,
            { ReadOnly: true } => 403,
            { IsSecretariat: true } => 200,
            { Role: CaravanRole.NationalCoordinator, State: "KZ" } => 200,
            _ => 403,
        }),
    };

    private async Task<string> NewPeriodAsync()
    {
        await using var db = app.NewDbContext();
        var id = $"matrix-period-{Guid.NewGuid():N}";
        db.ReportingPeriods.Add(new Caravan.Features.Commitments.ReportingPeriod { Id = id, Order = 100, Name = new Caravan.Shared.LocalizedText { En = "matrix" }, From = Caravan.Shared.PartialDate.Parse("2030") });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    /// <summary>An open round on a fresh period, straight in the database, so that every allowed close succeeds.</summary>
    private async Task<string> NewRoundAsync()
    {
        var period = await NewPeriodAsync();
        await using var db = app.NewDbContext();
        var id = Guid.NewGuid().ToString("N");
        db.Rounds.Add(new Caravan.Features.Rounds.Round { Id = id, Name = new Caravan.Shared.LocalizedText { En = "matrix" }, PeriodId = period, OpenPeriodId = period, DueOn = new DateOnly(2031, 1, 31), OpenedBy = "matrix" });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    private static Func<Who, Target, int> SecretariatOnly(int applied) => (who, _) => who switch
    {
        { Person: null } => Anonymous,
        { ReadOnly: true } => 403,
        { IsSecretariat: true } => applied,
        _ => 403,
    };

    /// <summary>The juror's own seat: the KZ coordinator appointed on the target call; anyone else is refused.</summary>
    private int OnlyTheJuror(Who who, int applied) => who switch
    {
        { Person: null } => Anonymous,
        { ReadOnly: true } => 403,
        _ when who.Person.Id == _coordinators["KZ"].Id => applied,
        _ => 403,
    };

    /// <summary>One target whose call is made afresh for each request, so that every allowed action succeeds.</summary>
    private static Task<List<Target>> SelectionTargets(string label, Func<Who, Task<(string Url, object Body)>> prepare) =>
        Task.FromResult<List<Target>>([new(label, [], [], prepare)]);

    /// <summary>A call in the given phase, straight in the database: with a nomination of <paramref name="nominee"/>, a juror, a recorded decision.</summary>
    private async Task<string> NewCallAsync(Caravan.Features.Selections.SelectionPhase phase, string? nominee = null, Person? juror = null, bool decided = false)
    {
        await using var db = app.NewDbContext();
        var id = $"matrix-{Guid.NewGuid():N}";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        db.SelectionCalls.Add(new Caravan.Features.Selections.SelectionCall
        {
            Id = id, Title = new Caravan.Shared.LocalizedText { En = "matrix" }, Phase = phase, CreatedBy = "matrix",
            NominationsFrom = today.AddDays(-1), NominationsTo = today.AddDays(5), ScoringDeadline = today.AddDays(9),
            Criteria = [new("c1", new Caravan.Shared.LocalizedText { En = "Heritage" }, 1)],
        });
        if (nominee is not null)
            db.SelectionNominations.Add(new Caravan.Features.Selections.SelectionNomination
            {
                Id = $"{id}-{nominee.ToLowerInvariant()}", CallId = id, StateId = nominee, City = new Caravan.Shared.LocalizedText { En = "Matrix city" }, SubmittedById = "matrix", SubmittedBy = "matrix",
            });
        if (juror is not null)
            db.SelectionJurors.Add(new Caravan.Features.Selections.SelectionJuror { Id = Guid.NewGuid().ToString("N"), CallId = id, UserId = juror.Id, Name = juror.Email, StateId = juror.StateId, AppointedBy = "matrix" });
        if (decided)
            db.SelectionDecisions.Add(new Caravan.Features.Selections.SelectionDecision { CallId = id, NominationId = $"{id}-{nominee!.ToLowerInvariant()}", DecidedOn = today, Rationale = new Caravan.Shared.LocalizedText { En = "matrix" }, DecidedBy = "matrix" });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    /// <summary>A fresh open period per request, so that every allowed close succeeds.</summary>
    private Task<List<Target>> PeriodTargets() => Task.FromResult<List<Target>>([new("an open reporting period", [], [], async _ =>
    {
        await using var db = app.NewDbContext();
        var id = $"matrix-period-{Guid.NewGuid():N}";
        db.ReportingPeriods.Add(new Caravan.Features.Commitments.ReportingPeriod { Id = id, Order = 100, Name = new Caravan.Shared.LocalizedText { En = "matrix" }, From = Caravan.Shared.PartialDate.Parse("2030") });
        await db.SaveChangesAsync(Ct);
        return ("/api/v1/snapshots", (object)new { period = id });
    })]);

    /// <summary>Portal pages that take a POST, and the policy each requires ("anonymous" for the public forms).</summary>
    private static Dictionary<string, string> PageRules() => new(StringComparer.Ordinal)
    {
        ["POST /account/sign-in"] = "anonymous",
        ["POST /account/sign-in/code"] = "anonymous",
        ["POST /account/invitation"] = "anonymous",
        ["POST /account/sign-out"] = "anonymous",
        ["POST /account/two-factor"] = "signed-in",
        ["POST /account"] = "signed-in",
        ["POST /admin/users"] = "account-admin",
        ["POST /work/{kind}/{id}"] = "writer",
        ["POST /submissions/{id}"] = "writer",
        ["POST /projects/bulk"] = "secretariat",
        ["POST /projects/import"] = "secretariat",
        ["POST /programmes/{id}/record"] = "writer",
        ["POST /selections/new"] = "secretariat",
        ["POST /selections/{id}/act"] = "writer",
        ["POST /rounds"] = "writer",
        ["POST /rounds/{id}"] = "writer",
        ["POST /rounds/{id}/sheet"] = "writer",
        ["POST /inbox"] = "writer",
        ["POST /notifications/deliveries"] = "secretariat",
    };

    private static bool NeedsConfirmation(Target t) => t.States.Length > 1 || (t.States.Length >= 1 && t.Bodies.Length >= 1);

    private const string MatrixProgramme = "matrix-programme";

    /// <summary>A programme run by the officer's body, with room for every allowed allocation of 1.</summary>
    private async Task EnsureProgrammeAsync()
    {
        await using var db = app.NewDbContext();
        if (await db.Programmes.FindAsync([MatrixProgramme], Ct) is not null) return;
        db.Programmes.Add(new Caravan.Features.Programmes.Programme
        {
            Id = MatrixProgramme, Name = new Caravan.Shared.LocalizedText { En = "matrix" }, Kind = Caravan.Features.Programmes.ProgrammeKind.Places, Unit = "training-places",
            Pledged = 1_000_000, PledgedById = "CN", PeriodFrom = new DateOnly(2025, 1, 1), PeriodTo = new DateOnly(2025, 12, 31), BodyId = OfficersBody,
        });
        await db.SaveChangesAsync(Ct);
    }

    private static object AllocationOfOne(string state) =>
        new { state, values = new Dictionary<string, string> { ["kind"] = "allocation", ["year"] = "2025", ["on"] = "2025-07-01", ["quantity"] = "1" }, sources = Cite.One() };

    /// <summary>An entry for each state the pledge is shared among (China pledged it).</summary>
    private async Task<List<Target>> ProgrammeEntryTargets()
    {
        await EnsureProgrammeAsync();
        return [.. States.Where(s => s != "CN").Select(s => new Target($"programme entry for {s}", [s], [OfficersBody], _ =>
            Task.FromResult(($"/api/v1/programmes/{MatrixProgramme}/entries", AllocationOfOne(s)))))];
    }

    /// <summary>A CSV body (sent as text/csv).</summary>
    private sealed record Sheet(string Csv);

    // ---- Targets ---------------------------------------------------------------------------------

    private static string FigureId(string state) => IndicatorValue.KeyOf("trade-turnover-usd", 2019, state == "all" ? null : state);

    private Task<List<Target>> RecordTargets()
    {
        var targets = new List<Target>();
        foreach (var s in States.Append("all"))
            targets.Add(new($"figure {s}", s == "all" ? [] : [s], [], _ => Task.FromResult(($"/api/v1/records/indicator-values/{FigureId(s)}", (object)new { values = new { value = "1.5" }, sources = Cite.One() }))));
        foreach (var body in new[] { OfficersBody, OtherBody })
            targets.Add(new($"body {body}", [], [body], _ => Task.FromResult(($"/api/v1/records/bodies/{body}", (object)new { values = new Dictionary<string, string> { ["note.en"] = "matrix" } }))));
        targets.Add(new("bilateral CN-KZ document", ["CN", "KZ"], [], _ => Task.FromResult(("/api/v1/records/documents/china-kazakhstan-visa-exemption-agreement-2023", (object)new { values = new Dictionary<string, string> { ["note.en"] = "matrix" } }))));
        targets.Add(new("multilateral document", [], [], _ => Task.FromResult(("/api/v1/records/documents/astana-declaration-2025", (object)new { values = new Dictionary<string, string> { ["note.en"] = "matrix" } }))));
        // A partnership is the business of its two states, like a bilateral document.
        targets.Add(new("CN-KZ partnership", ["CN", "KZ"], [], _ => Task.FromResult(("/api/v1/records/partnerships/cn-kz-visa-exemption", (object)new { values = new Dictionary<string, string> { ["note.en"] = "matrix" } }))));
        // A milestone about every party of a commitment the officers' body leads: the body's, not one coordinator's.
        targets.Add(new("milestone of all parties", [], [OfficersBody], _ => Task.FromResult(("/api/v1/records/milestones/secretariat-2023:all:launched", (object)new { values = new Dictionary<string, string> { ["note.en"] = "matrix" } }))));
        return Task.FromResult(targets);
    }

    private Task<List<Target>> NewFigureTargets() => Task.FromResult(States.Append("all").Select(s => new Target($"new figure {s}", s == "all" ? [] : [s], [], who =>
    {
        // Each caller proposes a figure for a year of its own (1992…2002, which the seed does not have), so creations do not collide.
        var year = 1992 + _callers.FindIndex(c => c.Label == who.Label);
        return Task.FromResult(("/api/v1/records/indicator-values", (object)new { id = IndicatorValue.KeyOf("trade-turnover-usd", year, s == "all" ? null : s), values = new { value = "2" }, sources = Cite.One() }));
    })).Append(new Target("new KZ-CN partnership", ["CN", "KZ"], [], who =>
    {
        // Each caller proposes a pair of places of its own, so that no proposal is a duplicate of another.
        var n = _callers.FindIndex(c => c.Label == who.Label);
        return Task.FromResult(("/api/v1/records/partnerships", (object)new { id = $"kz-cn-matrix-{n}", values = new Dictionary<string, string>
        {
            ["place-a.en"] = $"Matrix A{n}", ["place-b.en"] = $"Matrix B{n}", ["source-url"] = "https://example.org/matrix",
        }, sources = Cite.One("https://example.org/matrix", "Matrix pair agreed") }));
    })).Concat(States.Append("all").Select(s => new Target($"new milestone {s}", s == "all" ? [] : [s], [OfficersBody], who =>
    {
        // A milestone of the Secretariat's commitment (led by the officers' body), about one party or all; one per caller.
        var n = _callers.FindIndex(c => c.Label == who.Label);
        return Task.FromResult(("/api/v1/records/milestones", (object)new { id = $"secretariat-2023:{s}:matrix-{n}", values = new Dictionary<string, string>
        {
            ["title.en"] = $"Matrix step {n}", ["due"] = "2030",
        }, sources = Cite.One() }));
    }))).ToList());

    /// <summary>A fresh submission per request, by the coordinator of each state (and by the officer), in the given status.</summary>
    private Task<List<Target>> SubmissionTargets(SubmissionStatus status)
    {
        var targets = States.Select(s => new Target($"{status} submission of {s}", [s], [], _ => NewSubmissionAsync(_coordinators[s], "indicator-values", FigureId(s), status), _coordinators[s])).ToList();
        targets.Add(new($"{status} submission of officer", [], [OfficersBody], _ => NewSubmissionAsync(_officer, "bodies", OfficersBody, status), _officer));
        return Task.FromResult(targets);
    }

    private async Task<List<Target>> ConfirmationTargets()
    {
        var targets = await SubmissionTargets(SubmissionStatus.Submitted);
        targets.Add(new("bilateral CN-KZ submission", ["CN", "KZ"], [], _ => NewSubmissionAsync(_coordinators["KZ"], "documents", "china-kazakhstan-visa-exemption-agreement-2023", SubmissionStatus.Submitted), _coordinators["KZ"]));
        targets.Add(new("bilateral CN-UZ submission", ["CN", "UZ"], [], _ => NewSubmissionAsync(_coordinators["UZ"], "documents", "china-uzbekistan-visa-exemption-agreement", SubmissionStatus.Submitted), _coordinators["UZ"]));
        // An officer's programme entry for Kazakhstan: Kazakhstan's coordinator confirms it.
        await EnsureProgrammeAsync();
        targets.Add(new("officer's programme entry for KZ", ["KZ"], [OfficersBody], async _ =>
        {
            using var scope = app.Services.CreateScope();
            var editor = scope.ServiceProvider.GetRequiredService<RecordEditor>();
            var values = new Dictionary<string, string?> { ["kind"] = "allocation", ["year"] = "2025", ["on"] = "2025-07-01", ["quantity"] = "1" };
            var id = Caravan.Features.Programmes.ProgrammeEntry.KeyOf(MatrixProgramme, "KZ", Guid.NewGuid().ToString("N"));
            var result = await editor.ChangeAsync(_officer.AsCaller(), Caravan.Features.Programmes.ProgrammeEntry.RecordKind, id, values, "matrix", null, submit: true, create: true, Ct, Cite.Inputs());
            Assert.Equal(ChangeOutcome.Proposed, result.Outcome);
            return ($"/api/v1/submissions/{result.Submission!.Id}", (object)new { comment = "matrix" });
        }, _officer));
        return targets;
    }

    private async Task<(string, object)> NewSubmissionAsync(Person author, string kind, string id, SubmissionStatus status)
    {
        using var scope = app.Services.CreateScope();
        var editor = scope.ServiceProvider.GetRequiredService<RecordEditor>();
        var field = kind == "indicator-values" ? "value" : "note.en";
        var version = (await RecordKind.Named(kind)!.FindAsync(scope.ServiceProvider.GetRequiredService<CaravanDbContext>(), id, Ct))!.Version;
        var result = await editor.ChangeAsync(author.AsCaller(), kind, id, new Dictionary<string, string?> { [field] = "7" }, "matrix", version, submit: status != SubmissionStatus.Draft, create: false, Ct, Cite.Inputs());
        Assert.Equal(ChangeOutcome.Proposed, result.Outcome);
        if (status == SubmissionStatus.Validated)
        {
            var secretariat = new Caller("matrix", "matrix@example.org", CaravanRole.SecretariatEditor, null, new HashSet<string>(), true);
            Assert.Equal(ChangeOutcome.Proposed, (await editor.ActAsync(secretariat, result.Submission!.Id, SubmissionAction.Validated, null, null, Ct)).Outcome);
        }
        return ($"/api/v1/submissions/{result.Submission!.Id}", new { comment = "matrix", values = new Dictionary<string, string> { [field] = "8" } });
    }

    /// <summary>A figure of each state (and of the mechanism) to change: the seed does not have one for every state.</summary>
    private async Task EnsureAFigurePerStateAsync()
    {
        await using var db = app.NewDbContext();
        foreach (var s in States.Append("all"))
            if (await db.IndicatorValues.FindAsync([FigureId(s)], Ct) is null)
                db.IndicatorValues.Add(new IndicatorValue { Id = FigureId(s), IndicatorId = "trade-turnover-usd", Year = 2019, StateId = s == "all" ? null : s, Value = 1 });
        await db.SaveChangesAsync(Ct);
    }

    // ---- The route table -------------------------------------------------------------------------

    /// <summary>Every endpoint that changes something: API routes with POST, PUT, PATCH or DELETE, and pages with a POST handler.</summary>
    private async Task<HashSet<string>> MutatingEndpointsAsync()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var loader = app.Services.GetRequiredService<PageLoader>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/'); // a group route mapped at "" ends in "/"
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                foreach (var method in compiled.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Where(m => m is not ("GET" or "HEAD")).Distinct())
                    result.Add($"{method} {pattern}");
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
                if (method is "POST" or "PUT" or "PATCH" or "DELETE") result.Add($"{method} {pattern}");
        }
        return result;
    }

    private async Task<string> PagePolicyAsync(string endpoint)
    {
        var pattern = endpoint.Split(' ')[1];
        var route = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => "/" + e.RoutePattern.RawText!.TrimStart('/') == pattern && e.Metadata.GetMetadata<PageActionDescriptor>() is not null);
        var compiled = await app.Services.GetRequiredService<PageLoader>().LoadAsync(route.Metadata.GetMetadata<PageActionDescriptor>()!, route.Metadata);
        var authorize = compiled.EndpointMetadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0) return "anonymous";
        return authorize.Select(a => a.Policy).FirstOrDefault(p => p is not null) ?? "signed-in";
    }
}

public sealed class AuthorizationMatrixTestsOnSqlite(SqliteApp app) : AuthorizationMatrixTests(app), IClassFixture<SqliteApp>;

public sealed class AuthorizationMatrixTestsOnPostgres(PostgresApp app) : AuthorizationMatrixTests(app), IClassFixture<PostgresApp>;
