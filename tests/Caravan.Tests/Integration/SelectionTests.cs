using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// The culture and tourism capital selection over HTTP, on each provider: a call from draft to published decision,
/// each refusal (with its reason, nothing stored), and the secrecy of scores — a juror never sees another's, the
/// secretariat sees only counts until the call closes, the public nothing until the decision is published.
/// </summary>
public abstract class SelectionTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);
    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The people of one selection: the secretariat, three coordinators, three jurors (from KZ, from UZ, and an independent expert).</summary>
    private sealed record Cast(Person Secretariat, Person Kz, Person Uz, Person Tj, Person JurorKz, Person JurorUz, Person Expert);

    private async Task<Cast> CastAsync() => new(
        await People.CreateAsync(app, CaravanRole.SecretariatEditor),
        await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ"),
        await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ"),
        await People.CreateAsync(app, CaravanRole.NationalCoordinator, "TJ"),
        await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"]),
        await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["business-council"]),
        await People.CreateAsync(app, CaravanRole.SecretariatAdmin));

    private static object NewCall(string title, DateOnly? from = null, DateOnly? to = null, object? criteria = null) => new
    {
        title = new { en = title, ru = "Столица культуры и туризма", zh = "文化和旅游之都" },
        description = new { en = "The first call." },
        nominationsFrom = Day(from ?? Today.AddDays(-1)),
        nominationsTo = Day(to ?? Today.AddDays(5)),
        scoringDeadline = Day(Today.AddDays(30)),
        criteria = criteria ?? new object[]
        {
            new { id = "heritage", name = new { en = "Cultural heritage", ru = "Культурное наследие", zh = "文化遗产" }, weight = 3 },
            new { id = "tourism", name = new { en = "Tourism", ru = "Туризм", zh = "旅游" }, weight = "2" },
            new { id = "access", name = new { en = "Access" }, weight = 1 },
        },
    };

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(Person? who, string url, object body, string language = "en")
    {
        var response = await app.Api(who, language).PostAsJsonAsync(url, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> Get(Person? who, string url)
    {
        var response = await app.Api(who).GetAsync(url, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static void Ok((HttpStatusCode Status, JsonElement Body) r, HttpStatusCode expected = HttpStatusCode.OK) =>
        Assert.True(r.Status == expected, $"expected {expected}, got {r.Status}: {r.Body}");

    /// <summary>A call with its jury, open for nominations; returns its id.</summary>
    private async Task<string> OpenCallAsync(Cast c, DateOnly? from = null, DateOnly? to = null)
    {
        var created = await Post(c.Secretariat, "/api/v1/selections", NewCall($"Capital {Guid.NewGuid():N}", from, to));
        Ok(created, HttpStatusCode.Created);
        var id = created.Body.GetProperty("id").GetString()!;
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/jurors", new { user = c.JurorKz.Email, state = "KZ" }), HttpStatusCode.Created);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/jurors", new { user = c.JurorUz.Email, state = "UZ" }), HttpStatusCode.Created);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/jurors", new { user = c.Expert.Id }), HttpStatusCode.Created);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "nominating" }));
        return id;
    }

    private async Task<string> NominateAsync(Person coordinator, string id, string city)
    {
        var r = await Post(coordinator, $"/api/v1/selections/{id}/nominations", new { city = new { en = city }, statement = new { en = $"{city} keeps the Silk Road's heritage." }, evidenceUrl = "https://example.org/dossier.pdf" });
        Ok(r, HttpStatusCode.Created);
        return r.Body.GetProperty("nominations").EnumerateArray().Single(n => n.GetProperty("state").GetString() == coordinator.StateId).GetProperty("id").GetString()!;
    }

    private static object Scores(string nomination, params (string Criterion, object Value, string? Comment)[] scores) =>
        new { nomination, scores = scores.Select(s => new { criterion = s.Criterion, value = s.Value, comment = s.Comment }).ToArray() };

    private async Task<int> StoredScoresAsync()
    {
        await using var db = app.NewDbContext();
        return await db.SelectionScores.CountAsync(Ct);
    }

    [Fact]
    public async Task A_call_runs_from_draft_to_a_published_decision_and_the_ranking_is_computed_from_the_scores()
    {
        var c = await CastAsync();
        var created = await Post(c.Secretariat, "/api/v1/selections", NewCall($"Capital {Guid.NewGuid():N}"));
        Ok(created, HttpStatusCode.Created);
        var id = created.Body.GetProperty("id").GetString()!;
        Assert.Equal("draft", created.Body.GetProperty("phase").GetString());
        // A draft is the secretariat's: the public neither lists nor opens it.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/api/v1/selections/{id}", Ct)).StatusCode);
        Assert.DoesNotContain((await Get(null, "/api/v1/selections")).EnumerateArray(), s => s.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/selections/{id}", Ct)).StatusCode);

        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/jurors", new { user = c.JurorKz.Email, state = "KZ" }), HttpStatusCode.Created);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/jurors", new { user = c.Expert.Email }), HttpStatusCode.Created);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "nominating" }));
        var kz = await NominateAsync(c.Kz, id, "Turkistan");
        var uz = await NominateAsync(c.Uz, id, "Samarkand");
        var tj = await NominateAsync(c.Tj, id, "Penjikent");
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "scoring" }));
        var early = await Post(c.Secretariat, $"/api/v1/selections/{id}/decision", new { nomination = uz, decidedOn = Day(Today), rationale = "Too early." });
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal("The decision is recorded once scoring is closed.", early.Body.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Post(c.Secretariat, $"/api/v1/selections/{id}/publish", new { })).Status);

        // The Kazakh juror scores Samarkand and Penjikent; the expert all three.
        Ok(await Post(c.JurorKz, $"/api/v1/selections/{id}/scores", Scores(uz, ("heritage", 9, null), ("tourism", 8, null), ("access", 6, null))));
        Ok(await Post(c.JurorKz, $"/api/v1/selections/{id}/scores", Scores(tj, ("heritage", 6, null), ("tourism", 5, null), ("access", 5, null))));
        Ok(await Post(c.Expert, $"/api/v1/selections/{id}/scores", Scores(kz, ("heritage", 8, null), ("tourism", 7, null), ("access", 7, null))));
        Ok(await Post(c.Expert, $"/api/v1/selections/{id}/scores", Scores(uz, ("heritage", 10, null), ("tourism", "9", null), ("access", 7.5, null))));
        Ok(await Post(c.Expert, $"/api/v1/selections/{id}/scores", Scores(tj, ("heritage", 7, null), ("tourism", 6, null), ("access", 6, null))));
        // Scored again before closing: the later score replaces the earlier.
        Ok(await Post(c.Expert, $"/api/v1/selections/{id}/scores", Scores(uz, ("access", 8, "revised after the site visit"))));

        var progress = (await Get(c.Secretariat, $"/api/v1/selections/{id}")).GetProperty("jury").EnumerateArray()
            .ToDictionary(j => j.GetProperty("name").GetString()!.Split('<')[1].TrimEnd('>'), j => (j.GetProperty("given").GetInt32(), j.GetProperty("expected").GetInt32()));
        Assert.Equal((6, 6), progress[c.JurorKz.Email]); // two nominations (not Kazakhstan's) × three criteria
        Assert.Equal((9, 9), progress[c.Expert.Email]);

        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "closed" }));
        var closed = await Get(c.Secretariat, $"/api/v1/selections/{id}");
        var ranking = closed.GetProperty("ranking").EnumerateArray().ToList();
        Assert.Equal([uz, kz, tj], ranking.Select(r => r.GetProperty("nomination").GetString()));
        // Samarkand: heritage (9 + 10) / 2 = 9.5, tourism 8.5, access (6 + 8) / 2 = 7 → (9.5·3 + 8.5·2 + 7) / 6 = 8.75
        Assert.Equal(8.75m, ranking[0].GetProperty("score").GetDecimal());
        Assert.Equal(9.5m, ranking[0].GetProperty("means").GetProperty("heritage").GetDecimal());
        Assert.Equal(2, ranking[0].GetProperty("jurors").GetInt32());
        Assert.Equal(1, ranking[1].GetProperty("jurors").GetInt32());
        Assert.Equal(15, closed.GetProperty("scores").GetArrayLength());

        var decided = await Post(c.Secretariat, $"/api/v1/selections/{id}/decision", new { nomination = uz, decidedOn = Day(Today), rationale = new { en = "Highest ranked.", ru = "Первое место в рейтинге.", zh = "排名第一。" } });
        Ok(decided);
        Assert.Null(decided.Body.GetProperty("decision").GetProperty("publishedAt").GetString());
        Assert.Equal(JsonValueKind.Null, (await Get(null, $"/api/v1/selections/{id}")).GetProperty("decision").ValueKind);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/publish", new { }));

        var published = await Get(null, $"/api/v1/selections/{id}");
        Assert.Equal("decided", published.GetProperty("phase").GetString());
        Assert.Equal(uz, published.GetProperty("decision").GetProperty("nomination").GetString());
        Assert.Equal("Samarkand", published.GetProperty("decision").GetProperty("city").GetProperty("en").GetString());
        Assert.Equal(8.75m, published.GetProperty("ranking")[0].GetProperty("score").GetDecimal());
        Assert.Equal(JsonValueKind.Null, published.GetProperty("scores").ValueKind); // individual scores stay with the secretariat
        var listed = (await Get(null, "/api/v1/selections")).EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);
        Assert.Equal(uz, listed.GetProperty("decision").GetProperty("nomination").GetString());

        var page = await app.Client().GetStringAsync($"/selections/{id}?culture=ru", Ct);
        Assert.Contains("решение опубликовано", page);
        Assert.Contains("id=\"ranking\"", page);
        Assert.Contains("8,75", page);
        Assert.Contains("Первое место в рейтинге.", page);
        // Published means no more changes.
        Assert.Equal(HttpStatusCode.Conflict, (await Post(c.Secretariat, $"/api/v1/selections/{id}/decision", new { nomination = kz, decidedOn = Day(Today), rationale = "Changed." })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Post(c.Secretariat, $"/api/v1/selections/{id}/publish", new { })).Status);

        var openapi = await app.Client().GetStringAsync("/openapi/v1.json", Ct);
        foreach (var route in new[] { "/api/v1/selections", "/api/v1/selections/{id}", "/api/v1/selections/{id}/nominations", "/api/v1/selections/{id}/jurors", "/api/v1/selections/{id}/conflicts",
            "/api/v1/selections/{id}/scores", "/api/v1/selections/{id}/phase", "/api/v1/selections/{id}/decision", "/api/v1/selections/{id}/publish" })
            Assert.Contains($"\"{route}\"", openapi);

        // Every action is in the audit trail, and the score values are not.
        await using var db = app.NewDbContext();
        var audit = await db.AuditEntries.Where(a => a.SubjectType.StartsWith("selection")).ToListAsync(Ct);
        Assert.Contains(audit, a => a.SubjectType == "selection-call" && a.Action == "create" && a.Actor == c.Secretariat.Email);
        Assert.Contains(audit, a => a.SubjectType == "selection-nomination" && a.Actor == c.Uz.Email && a.Role == "national-coordinator:UZ");
        Assert.Contains(audit, a => a.SubjectType == "selection-decision" && a.Action == "update" && a.After!.Contains("PublishedAt"));
        var scoreEntries = audit.Where(a => a.SubjectType == "selection-score" && (a.Actor == c.JurorKz.Email || a.Actor == c.Expert.Email)).ToList();
        Assert.Equal(16, scoreEntries.Count); // 15 given, one of them changed
        Assert.All(scoreEntries, a => Assert.Contains("\"Value\":\"[redacted", a.After!));
        Assert.DoesNotContain(scoreEntries, a => a.After!.Contains("site visit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_state_nominates_once_within_the_period_and_phase_and_only_for_itself()
    {
        var c = await CastAsync();
        var id = await OpenCallAsync(c);
        await NominateAsync(c.Kz, id, "Turkistan");
        var count = async () => { await using var db = app.NewDbContext(); return await db.SelectionNominations.CountAsync(n => n.CallId == id, Ct); };

        var second = await Post(c.Kz, $"/api/v1/selections/{id}/nominations", new { city = new { en = "Almaty" } }, "ru");
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Contains("уже", second.Body.GetProperty("detail").GetString());
        Assert.Equal(1, await count());
        // Naming another state does not get round it: a coordinator nominates for their own state only.
        var forOther = await Post(c.Kz, $"/api/v1/selections/{id}/nominations", new { state = "TM", city = new { en = "Mary" } });
        Assert.Equal(HttpStatusCode.Forbidden, forOther.Status);
        Assert.Contains("(KZ)", forOther.Body.GetProperty("detail").GetString());
        // Neither the secretariat nor a juror nominates.
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(c.Secretariat, $"/api/v1/selections/{id}/nominations", new { state = "TM", city = new { en = "Mary" } })).Status);
        var noCity = await Post(c.Uz, $"/api/v1/selections/{id}/nominations", new { city = new { en = " " }, evidenceUrl = "javascript:alert(1)" }, "zh");
        Assert.Equal(HttpStatusCode.BadRequest, noCity.Status);
        Assert.Equal(["city", "evidenceUrl"], noCity.Body.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("城市", noCity.Body.GetProperty("errors").GetProperty("city")[0].GetString());
        Assert.Equal(1, await count());

        // Outside the period: a call whose nominations open next week.
        var later = await OpenCallAsync(c, Today.AddDays(7), Today.AddDays(14));
        var early = await Post(c.Kz, $"/api/v1/selections/{later}/nominations", new { city = new { en = "Turkistan" } });
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Contains(Day(Today.AddDays(7)), early.Body.GetProperty("detail").GetString());
        // Outside the phase: once scoring starts, nominations are over.
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "scoring" }));
        var afterwards = await Post(c.Uz, $"/api/v1/selections/{id}/nominations", new { city = new { en = "Samarkand" } });
        Assert.Equal(HttpStatusCode.Conflict, afterwards.Status);
        Assert.Equal("The call is not open for nominations.", afterwards.Body.GetProperty("detail").GetString());
        Assert.Equal(1, await count());
        await using var db = app.NewDbContext();
        Assert.Equal(0, await db.SelectionNominations.CountAsync(n => n.CallId == later, Ct));
    }

    [Fact]
    public async Task A_coordinator_withdraws_their_states_nomination_while_nominations_are_open_and_may_nominate_again()
    {
        var c = await CastAsync();
        var id = await OpenCallAsync(c);
        await NominateAsync(c.Kz, id, "Turkistan");
        var cities = async () => { await using var db = app.NewDbContext(); return await db.SelectionNominations.Where(n => n.CallId == id).Select(n => n.StateId + ":" + n.City.En).ToListAsync(Ct); };

        // Nobody else takes it back: not another state's coordinator naming Kazakhstan, not the secretariat.
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(c.Tj, $"/api/v1/selections/{id}/nominations/withdraw", new { state = "KZ" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(c.Secretariat, $"/api/v1/selections/{id}/nominations/withdraw", new { state = "KZ" })).Status);
        // A state with no nomination is told so, in its language.
        var none = await Post(c.Uz, $"/api/v1/selections/{id}/nominations/withdraw", new { }, "ru");
        Assert.Equal(HttpStatusCode.Conflict, none.Status);
        Assert.Contains("нет кандидатуры", none.Body.GetProperty("detail").GetString());
        Assert.Equal(["KZ:Turkistan"], await cities());

        var withdrawn = await Post(c.Kz, $"/api/v1/selections/{id}/nominations/withdraw", new { });
        Ok(withdrawn);
        Assert.Empty(withdrawn.Body.GetProperty("nominations").EnumerateArray());
        await NominateAsync(c.Kz, id, "Almaty");
        Assert.Equal(["KZ:Almaty"], await cities());
        await using (var db = app.NewDbContext())
            Assert.True(await db.AuditEntries.AnyAsync(e => e.SubjectId == $"{id}-kz" && e.Action == "delete", Ct), "the withdrawal is in the audit trail");

        // Once scoring starts the nomination stays.
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "scoring" }));
        var late = await Post(c.Kz, $"/api/v1/selections/{id}/nominations/withdraw", new { });
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Equal(["KZ:Almaty"], await cities());
    }

    [Fact]
    public async Task A_juror_does_not_score_their_own_state_a_declared_conflict_or_a_bad_value_and_nothing_is_stored()
    {
        var c = await CastAsync();
        var id = await OpenCallAsync(c);
        var kz = await NominateAsync(c.Kz, id, "Turkistan");
        var uz = await NominateAsync(c.Uz, id, "Samarkand");
        var tj = await NominateAsync(c.Tj, id, "Penjikent");
        Ok(await Post(c.JurorKz, $"/api/v1/selections/{id}/conflicts", new { state = "TJ", reason = "My sister leads Penjikent's bid." }), HttpStatusCode.Created);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "scoring" }));
        var before = await StoredScoresAsync();

        var own = await Post(c.JurorKz, $"/api/v1/selections/{id}/scores", Scores(kz, ("heritage", 9, null)));
        Assert.Equal(HttpStatusCode.Forbidden, own.Status);
        Assert.Equal("A juror does not score a nomination of their own state (KZ).", own.Body.GetProperty("detail").GetString());
        var conflict = await Post(c.JurorKz, $"/api/v1/selections/{id}/scores", Scores(tj, ("heritage", 9, null)), "ru");
        Assert.Equal(HttpStatusCode.Forbidden, conflict.Status);
        Assert.Contains("конфликт", conflict.Body.GetProperty("detail").GetString());
        // Not a juror of this call at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(c.Tj, $"/api/v1/selections/{id}/scores", Scores(uz, ("heritage", 9, null)))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(c.Secretariat, $"/api/v1/selections/{id}/scores", Scores(uz, ("heritage", 9, null)))).Status);

        // Bad values, each named by its field; one bad score keeps the good ones out too.
        var bad = await Post(c.JurorKz, $"/api/v1/selections/{id}/scores",
            Scores(uz, ("heritage", 9, null), ("tourism", "abc", null), ("access", -1, null), ("beaches", 5, null), ("heritage", 11, null), ("tourism", true, null)));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var errors = bad.Body.GetProperty("errors");
        Assert.Equal("\"abc\" is not a number.", errors.GetProperty("scores[1].value")[0].GetString());
        Assert.Equal("A score is a number from 0–10.", errors.GetProperty("scores[2].value")[0].GetString());
        Assert.Equal("\"beaches\" is not a criterion of this call.", errors.GetProperty("scores[3].criterion")[0].GetString());
        Assert.Equal("A score is a number from 0–10.", errors.GetProperty("scores[4].value")[0].GetString());
        Assert.Equal("Criterion \"heritage\" is given twice.", errors.GetProperty("scores[4].criterion")[0].GetString());
        Assert.Equal("\"true\" is not a number.", errors.GetProperty("scores[5].value")[0].GetString());
        Assert.False(errors.TryGetProperty("scores[0].value", out _));
        var tooFine = await Post(c.JurorKz, $"/api/v1/selections/{id}/scores", Scores(uz, ("heritage", 7.125, null)));
        Assert.Equal(HttpStatusCode.BadRequest, tooFine.Status);
        var notJson = await app.Api(c.JurorKz).PostAsync($"/api/v1/selections/{id}/scores", new StringContent("{\"nomination\": ", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var wrongType = await Post(c.JurorKz, $"/api/v1/selections/{id}/scores", new { nomination = 5, scores = "all tens" });
        Assert.Equal(["nomination", "scores"], wrongType.Body.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(before, await StoredScoresAsync());

        // A conflict declared after scoring withdraws the scores given.
        Ok(await Post(c.JurorKz, $"/api/v1/selections/{id}/scores", Scores(uz, ("heritage", 9, null), ("tourism", 8, null))));
        Assert.Equal(before + 2, await StoredScoresAsync());
        Ok(await Post(c.JurorKz, $"/api/v1/selections/{id}/conflicts", new { state = "UZ", reason = "Consultant to Samarkand's bid since this week." }), HttpStatusCode.Created);
        Assert.Equal(before, await StoredScoresAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await Post(c.JurorKz, $"/api/v1/selections/{id}/conflicts", new { state = "UZ", reason = "again" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(c.JurorKz, $"/api/v1/selections/{id}/conflicts", new { state = "RU", reason = "" })).Status);

        // After closing, no more scores.
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "closed" }));
        var late = await Post(c.Expert, $"/api/v1/selections/{id}/scores", Scores(uz, ("heritage", 9, null)));
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Equal("Scoring is closed for this call: this can no longer change.", late.Body.GetProperty("detail").GetString());
        Assert.Equal(before, await StoredScoresAsync());

        // Refusals for lack of rights are audited.
        await using var db = app.NewDbContext();
        Assert.Contains(await db.AuditEntries.Where(a => a.Action == "refused" && a.SubjectType == "selection-nomination").ToListAsync(Ct), a => a.SubjectId == kz && a.Actor == c.JurorKz.Email);
    }

    [Fact]
    public async Task A_call_needs_positive_weights_valid_dates_and_the_secretariat_and_moves_one_phase_at_a_time()
    {
        var c = await CastAsync();
        var count = async () => { await using var db = app.NewDbContext(); return await db.SelectionCalls.CountAsync(Ct); };
        var before = await count();
        var bad = await Post(c.Secretariat, "/api/v1/selections", new
        {
            title = new { en = "" },
            nominationsFrom = "2026-13-01",
            nominationsTo = Day(Today),
            scoringDeadline = Day(Today.AddDays(-1)),
            criteria = new object[] { new { name = new { en = "Heritage" }, weight = 0 }, new { name = new { en = "Tourism" }, weight = -2 }, new { name = new { en = "Access" }, weight = "abc" }, new { name = new { en = "Food" } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var errors = bad.Body.GetProperty("errors");
        Assert.Equal(["criteria[0].weight", "criteria[1].weight", "criteria[2].weight", "criteria[3].weight", "nominationsFrom", "scoringDeadline", "title"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("A weight must be more than 0 (given: 0).", errors.GetProperty("criteria[0].weight")[0].GetString());
        Assert.Equal("\"abc\" is not a number.", errors.GetProperty("criteria[2].weight")[0].GetString());
        var none = await Post(c.Secretariat, "/api/v1/selections", new { title = "No criteria", nominationsFrom = Day(Today), nominationsTo = Day(Today), scoringDeadline = Day(Today), criteria = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, none.Status);
        Assert.True(none.Body.GetProperty("errors").TryGetProperty("criteria", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(c.Kz, "/api/v1/selections", NewCall("By a coordinator"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(null, "/api/v1/selections", NewCall("By the public"))).Status);
        Assert.Equal(before, await count());

        var id = (await Post(c.Secretariat, "/api/v1/selections", NewCall($"Capital {Guid.NewGuid():N}"))).Body.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Conflict, (await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "scoring" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "finished" })).Status);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "nominating" }));
        var empty = await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "scoring" });
        Assert.Equal(HttpStatusCode.Conflict, empty.Status);
        Assert.Equal("There is no nomination to score yet.", empty.Body.GetProperty("detail").GetString());
        var unknownNomination = await Post(c.Secretariat, $"/api/v1/selections/{id}/decision", new { nomination = "x", decidedOn = "tomorrow", rationale = "" });
        Assert.Equal(["decidedOn", "nomination", "rationale"], unknownNomination.Body.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        // A juror is an existing, enabled account; a coordinator's seat is for their own state.
        var unknown = await Post(c.Secretariat, $"/api/v1/selections/{id}/jurors", new { user = "nobody@example.org" });
        Assert.Equal("No enabled account \"nobody@example.org\".", unknown.Body.GetProperty("errors").GetProperty("user")[0].GetString());
        var mismatch = await Post(c.Secretariat, $"/api/v1/selections/{id}/jurors", new { user = c.Kz.Email, state = "UZ" });
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/jurors", new { user = c.Kz.Email }), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Conflict, (await Post(c.Secretariat, $"/api/v1/selections/{id}/jurors", new { user = c.Kz.Email })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(c.Kz, $"/api/v1/selections/{id}/jurors", new { user = c.Uz.Email })).Status);
    }

    [Fact]
    public async Task Scores_are_secret_until_the_call_closes_and_public_only_with_the_published_decision()
    {
        var c = await CastAsync();
        var id = await OpenCallAsync(c);
        var uz = await NominateAsync(c.Uz, id, "Samarkand");
        var tj = await NominateAsync(c.Tj, id, "Penjikent");
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "scoring" }));
        const string secretKz = "kz-juror-private-remark", secretExpert = "expert-private-remark";
        Ok(await Post(c.JurorKz, $"/api/v1/selections/{id}/scores", Scores(uz, ("heritage", 3.25, secretKz))));
        Ok(await Post(c.Expert, $"/api/v1/selections/{id}/scores", Scores(uz, ("heritage", 9.75, secretExpert))));

        // Each juror sees their own score, never the other's.
        var kzView = await Get(c.JurorKz, $"/api/v1/selections/{id}");
        var mine = Assert.Single(kzView.GetProperty("you").GetProperty("scores").EnumerateArray());
        Assert.Equal(3.25m, mine.GetProperty("value").GetDecimal());
        Assert.DoesNotContain(secretExpert, kzView.GetRawText());
        Assert.DoesNotContain("9.75", kzView.GetRawText());
        Assert.Equal(JsonValueKind.Null, kzView.GetProperty("ranking").ValueKind);
        Assert.Equal(JsonValueKind.Null, kzView.GetProperty("scores").ValueKind);
        Assert.Equal([tj, uz], kzView.GetProperty("you").GetProperty("mayScore").EnumerateArray().Select(e => e.GetString()).Order());
        var expertView = await Get(c.Expert, $"/api/v1/selections/{id}");
        Assert.DoesNotContain(secretKz, expertView.GetRawText());
        Assert.DoesNotContain("3.25", expertView.GetRawText());
        // The Uzbek juror, who scored nothing, sees no value at all — and the UZ nomination is not theirs to score.
        var uzView = await Get(c.JurorUz, $"/api/v1/selections/{id}");
        Assert.Equal(0, uzView.GetProperty("you").GetProperty("scores").GetArrayLength());
        Assert.DoesNotContain(uz, uzView.GetProperty("you").GetProperty("mayScore").EnumerateArray().Select(e => e.GetString()));
        // The secretariat (the admin is also a juror here; the editor is not) sees counts only.
        var desk = await Get(c.Secretariat, $"/api/v1/selections/{id}");
        Assert.Equal(2, desk.GetProperty("jury").EnumerateArray().Sum(j => j.GetProperty("given").GetInt32()));
        Assert.DoesNotContain(secretKz, desk.GetRawText());
        Assert.DoesNotContain("3.25", desk.GetRawText());
        Assert.Equal(JsonValueKind.Null, desk.GetProperty("ranking").ValueKind);
        // The public: nothing, in the API and on the page.
        await AssertPublicSeesNoScoresAsync(id, secretKz, secretExpert);
        var deskPage = new PortalSession(app);
        await deskPage.SignInAsync(c.Secretariat);
        var (_, deskHtml, _) = await deskPage.GetAsync($"/selections/{id}");
        Assert.DoesNotContain(secretKz, deskHtml);
        Assert.Contains("id=\"jury\"", deskHtml);
        var kzPage = new PortalSession(app);
        await kzPage.SignInAsync(c.JurorKz);
        var (_, kzHtml, _) = await kzPage.GetAsync($"/selections/{id}");
        Assert.Contains(secretKz, kzHtml);
        Assert.DoesNotContain(secretExpert, kzHtml);
        Assert.Contains($"id=\"score-{uz}\"", kzHtml);
        var uzPage = new PortalSession(app);
        await uzPage.SignInAsync(c.JurorUz);
        var (_, uzHtml, _) = await uzPage.GetAsync($"/selections/{id}");
        Assert.DoesNotContain($"id=\"score-{uz}\"", uzHtml); // their own state's nomination: no form to score it
        Assert.Contains($"id=\"score-{tj}\"", uzHtml);
        Assert.DoesNotContain(secretKz, uzHtml);

        // Closed: the secretariat sees everything; the jurors and the public still nothing of the others'.
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/phase", new { phase = "closed" }));
        var closed = await Get(c.Secretariat, $"/api/v1/selections/{id}");
        Assert.Equal(6.5m, closed.GetProperty("ranking")[0].GetProperty("means").GetProperty("heritage").GetDecimal());
        Assert.Contains(secretExpert, closed.GetRawText());
        Assert.DoesNotContain(secretExpert, (await Get(c.JurorKz, $"/api/v1/selections/{id}")).GetRawText());
        await AssertPublicSeesNoScoresAsync(id, secretKz, secretExpert);

        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/decision", new { nomination = uz, decidedOn = Day(Today), rationale = new { en = "First." } }));
        await AssertPublicSeesNoScoresAsync(id, secretKz, secretExpert);
        Ok(await Post(c.Secretariat, $"/api/v1/selections/{id}/publish", new { }));
        var published = await Get(null, $"/api/v1/selections/{id}");
        Assert.Equal(6.5m, published.GetProperty("ranking")[0].GetProperty("means").GetProperty("heritage").GetDecimal());
        // The means are public; each juror's score and remark are not.
        Assert.DoesNotContain(secretKz, published.GetRawText());
        Assert.DoesNotContain(secretExpert, published.GetRawText());
        var page = await app.Client().GetStringAsync($"/selections/{id}", Ct);
        Assert.Contains("id=\"ranking\"", page);
        Assert.DoesNotContain(secretExpert, page);
    }

    private async Task AssertPublicSeesNoScoresAsync(string id, params string[] secrets)
    {
        var api = await Get(null, $"/api/v1/selections/{id}");
        Assert.Equal(JsonValueKind.Null, api.GetProperty("ranking").ValueKind);
        Assert.Equal(JsonValueKind.Null, api.GetProperty("scores").ValueKind);
        Assert.Equal(JsonValueKind.Null, api.GetProperty("jury").ValueKind);
        Assert.Equal(JsonValueKind.Null, api.GetProperty("decision").ValueKind);
        foreach (var s in secrets) Assert.DoesNotContain(s, api.GetRawText());
        foreach (var culture in new[] { "en", "zh" })
        {
            var page = await app.Client().GetStringAsync($"/selections/{id}?culture={culture}", Ct);
            Assert.DoesNotContain("id=\"ranking\"", page);
            Assert.Contains("id=\"scores-secret\"", page);
            foreach (var s in secrets) Assert.DoesNotContain(s, page);
        }
    }

    [Fact]
    public async Task The_portal_forms_refuse_bad_input_with_the_reason_and_store_nothing()
    {
        var c = await CastAsync();
        var desk = new PortalSession(app);
        await desk.SignInAsync(c.Secretariat);
        await desk.GetAsync("/selections/new?culture=ru");
        await using (var db = app.NewDbContext())
        {
            var before = await db.SelectionCalls.CountAsync(Ct);
            var (status, html, _) = await desk.PostAsync("/selections/new", [
                new("title.en", "Capital"), new("nominationsFrom", Day(Today)), new("nominationsTo", Day(Today.AddDays(3))), new("scoringDeadline", Day(Today.AddDays(9))),
                new("criteria[0].name.en", "Heritage"), new("criteria[0].weight", "0"), new("criteria[2].name.ru", "Туризм"), new("criteria[2].weight", "два")]);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("Вес должен быть больше 0", html);
            Assert.Contains("href=\"#field-criteria[2].weight\"", html); // the row as filled in, though row 1 was empty
            Assert.Contains("«два» — не число", html);
            Assert.Contains("value=\"Туризм\"", html); // what was typed is kept
            Assert.Equal(before, await db.SelectionCalls.CountAsync(Ct));
        }
        var (created, _, location) = await desk.PostAsync("/selections/new", [
            new("title.en", $"Capital {Guid.NewGuid():N}"), new("nominationsFrom", Day(Today)), new("nominationsTo", Day(Today.AddDays(3))), new("scoringDeadline", Day(Today.AddDays(9))),
            new("criteria[0].name.en", "Heritage"), new("criteria[0].weight", "2,5")]);
        Assert.Equal(HttpStatusCode.Redirect, created);
        var id = location!.Split('/').Last();
        await desk.GetAsync(location);
        Assert.Equal(HttpStatusCode.Redirect, (await desk.PostAsync($"/selections/{id}/act?handler=phase", [new("phase", "nominating")])).Status);

        var kz = new PortalSession(app);
        await kz.SignInAsync(c.Kz);
        var (_, open, _) = await kz.GetAsync($"/selections/{id}?culture=zh");
        Assert.Contains("id=\"nominate\"", open);
        Assert.DoesNotContain("id=\"appoint\"", open); // only the forms of what the caller may do
        Assert.DoesNotContain("id=\"phase-form\"", open);
        var (refused, refusedHtml, _) = await kz.PostAsync($"/selections/{id}/act?handler=nominate", [new("city.zh", ""), new("evidenceUrl", "ftp://example.org/x")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("请至少用一种语言填写城市名称", refusedHtml);
        Assert.Contains("不是 http(s) 地址", refusedHtml);
        Assert.Equal(HttpStatusCode.Redirect, (await kz.PostAsync($"/selections/{id}/act?handler=nominate", [new("city.zh", "突厥斯坦")])).Status);
        await kz.GetAsync($"/selections/{id}");
        var (again, againHtml, _) = await kz.PostAsync($"/selections/{id}/act?handler=nominate", [new("city.en", "Almaty")]);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("KZ 已为本次评选提名", againHtml);
        await using var check = app.NewDbContext();
        Assert.Equal(1, await check.SelectionNominations.CountAsync(n => n.CallId == id, Ct));
        // The public cannot post the forms at all: it is sent to sign in.
        var anonymous = await app.Client().PostAsync($"/selections/{id}/act?handler=nominate", new FormUrlEncodedContent([]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/account/sign-in", anonymous.Headers.Location!.OriginalString);
    }
}

public sealed class SelectionTestsOnSqlite(SqliteApp app) : SelectionTests(app), IClassFixture<SqliteApp>;

public sealed class SelectionTestsOnPostgres(PostgresApp app) : SelectionTests(app), IClassFixture<PostgresApp>;
