using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Tests.Integration;

/// <summary>
/// The page check: every portal route of the app's endpoint table, filled with seeded ids, in zh, ru and
/// en, anonymously and as each role, read as a reader reads it (the visible text: no attributes, scripts,
/// code or URLs). Fails on an error status, a format placeholder, a resource key, a raw id, slug or enum
/// name, text in another language than the page's where it is not marked with its own <c>lang</c>, and a
/// date, time or number not written the reader's way; it reports every finding at once.
/// </summary>
public abstract partial class PageCheckTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] Languages = ["zh", "ru", "en"];

    private sealed record Caller(string Name, Person? Person);

    private sealed record Finding(string Url, string Language, string Caller, string What)
    {
        public override string ToString() => $"{Url} [{Language}, {Caller}]: {What}";
    }

    [Fact]
    public async Task Every_page_in_every_language_for_every_caller_reads_right()
    {
        var clock = Stopwatch.StartNew();
        await SampleDataAsync();
        var callers = new List<Caller>
        {
            new("anonymous", null),
            new("secretariat", await People.CreateAsync(app, CaravanRole.SecretariatAdmin)),
            new("coordinator:KZ", await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ")),
            new("officer:secretariat", await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"])),
        };
        var routes = await PortalRoutesAsync();
        var seeded = await SeededUrlsAsync();
        var vocabulary = await VocabularyAsync();
        var findings = new List<Finding>();
        var dataNotes = new List<Finding>(); // leaks inside the dataset's own texts: reported, for the seed to fix, not failed
        var visited = new HashSet<string>(StringComparer.Ordinal); // route patterns reached at least once
        var pages = 0;

        // The callers walk side by side (each its own session); what they find is merged at the end.
        var walks = await Task.WhenAll(callers.Select(caller => WalkAsync(caller, routes, seeded, vocabulary)));
        foreach (var walk in walks)
        {
            findings.AddRange(walk.Findings);
            dataNotes.AddRange(walk.DataNotes);
            visited.UnionWith(walk.Visited);
            pages += walk.Pages;
        }

        var unreached = routes.Select(r => r.Pattern).Where(p => !visited.Contains(p)).Order().ToList();
        foreach (var pattern in unreached) findings.Add(new(pattern, "-", "-", "no caller reached this route with a 200 (no seeded id, or every visit failed)"));
        TestContext.Current.TestOutputHelper?.WriteLine($"page check ({app.Provider}): {pages} pages over {routes.Count} routes, {callers.Count} callers, {Languages.Length} languages in {clock.Elapsed.TotalSeconds:0}s; {findings.Count} findings");
        foreach (var note in dataNotes.Select(n => n with { Url = "", Caller = "" }).Distinct().Select(n => $"data note: {n.What}").Distinct().Order(StringComparer.Ordinal))
            TestContext.Current.TestOutputHelper?.WriteLine(note);
        Assert.True(findings.Count == 0, $"{findings.Count} findings on {pages} pages:\n" + string.Join("\n", findings.Distinct().OrderBy(f => f.What, StringComparer.Ordinal).ThenBy(f => f.Url, StringComparer.Ordinal).Select(f => f.ToString())));
    }

    private sealed record Walk(List<Finding> Findings, List<Finding> DataNotes, HashSet<string> Visited, int Pages);

    /// <summary>One caller's walk: the parameterless routes and the seeded records' pages, then what those pages link to.</summary>
    private async Task<Walk> WalkAsync(Caller caller, List<Route> routes, List<string> seeded, Vocabulary vocabulary)
    {
        var findings = new List<Finding>();
        var dataNotes = new List<Finding>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pages = 0;
        var session = new PortalSession(app);
        if (caller.Person is { } person) await session.SignInAsync(person);
        // Anonymous readers see every seeded record; each role a few of each kind (the chrome and forms differ by role, not by record).
        var perRoute = caller.Person is null ? int.MaxValue : 3;
        var queue = new Queue<string>(routes.Where(r => r.Parameters.Count == 0).Select(r => r.Pattern).Concat(seeded));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var taken = new Dictionary<Route, int>();
        while (queue.TryDequeue(out var url))
        {
            if (!seen.Add(url)) continue;
            var route = routes.FirstOrDefault(r => r.Matches(url));
            if (route is null) continue;
            if (taken.GetValueOrDefault(route) >= perRoute) continue;
            taken[route] = taken.GetValueOrDefault(route) + 1;
            // Ids not in the seed (submissions, history entries, records to edit, a selection) come from the pages' own links.
            foreach (var language in Languages)
            {
                var (status, html, location) = await session.GetAsync(WithCulture(url, language));
                location = location is null ? null : Uri.TryCreate(location, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : location;
                pages++;
                // A record's page may answer at its canonical address (a selection by its slug), and a form's
                // target sends a GET to the page with the form: follow the redirect there, and check that page.
                var target = location?.Split('?')[0];
                if (status is HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently && target is not null && !target.StartsWith("/account/", StringComparison.Ordinal)
                    && routes.FirstOrDefault(r => r.Matches(target)) is { } targetRoute)
                {
                    if (targetRoute == route) taken[route]--;
                    else visited.Add(route.Pattern);
                    queue.Enqueue(target);
                    break;
                }
                var context = new Finding(url, language, caller.Name, "");
                if (CheckStatus(route, caller, status, location, context, findings)) visited.Add(route.Pattern);
                if (status is HttpStatusCode.OK or HttpStatusCode.Forbidden or HttpStatusCode.NotFound && html.Length > 0)
                {
                    Check(html, language, vocabulary, context, findings, dataNotes);
                    if (language == "en" && status == HttpStatusCode.OK)
                        foreach (var link in Links(html)) queue.Enqueue(link);
                }
            }
        }
        return new(findings, dataNotes, visited, pages);
    }

    /// <summary>
    /// A record's heading says "Caravan's translation" exactly where the dataset's <c>translated</c> flag says
    /// the text in the reader's language is Caravan's own, and "in … only" where it has none.
    /// </summary>
    [Fact]
    public async Task Headings_mark_Caravans_translation_exactly_where_the_dataset_says_so()
    {
        await using var db = app.NewDbContext();
        var records = new List<(string Url, Caravan.Shared.LocalizedText Name, List<string> Translated)>();
        records.AddRange((await db.MemberStates.ToListAsync(Ct)).Select(x => ($"/states/{x.Id}", x.Name, x.Translated)));
        records.AddRange((await db.Bodies.ToListAsync(Ct)).Select(x => ($"/bodies/{x.Id}", x.Name, x.Translated)));
        records.AddRange((await db.Meetings.ToListAsync(Ct)).Select(x => ($"/meetings/{x.Id}", x.Name, x.Translated)));
        records.AddRange((await db.Documents.ToListAsync(Ct)).Select(x => ($"/documents/{x.Id}", x.Title, x.Translated)));
        records.AddRange((await db.Commitments.ToListAsync(Ct)).Select(x => ($"/commitments/{x.Id}", x.Text, x.Translated)));
        records.AddRange((await db.Indicators.ToListAsync(Ct)).Select(x => ($"/indicators/{x.Id}", x.Name, x.Translated)));
        records.AddRange((await db.Programmes.ToListAsync(Ct)).Select(x => ($"/programmes/{x.Id}", x.Name, x.Translated)));
        var marks = new Dictionary<string, string> { ["en"] = "Caravan’s translation", ["ru"] = "перевод Caravan", ["zh"] = "Caravan 译文" };
        var client = app.Client();
        var wrong = new List<string>();
        foreach (var (url, name, translated) in records)
            foreach (var language in Languages)
            {
                var html = await client.GetStringAsync(WithCulture(url, language), Ct);
                var h1 = Heading().Match(html).Groups[1].Value;
                var has = name.Pick(language) is { IsFallback: false, HasValue: true };
                var expected = has && translated.Contains(language);
                if (h1.Contains(marks[language], StringComparison.Ordinal) != expected)
                    wrong.Add($"{url} [{language}]: {(expected ? "not marked as Caravan's translation though flagged" : "marked as Caravan's translation though not flagged")}");
                if (!has && name.Pick(language).HasValue && !h1.Contains("class=\"fallback\"", StringComparison.Ordinal))
                    wrong.Add($"{url} [{language}]: shown in another language without saying so");
            }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [GeneratedRegex("<h1>(.*?)</h1>", RegexOptions.Singleline)]
    private static partial Regex Heading();

    // ---- Statuses --------------------------------------------------------------------------------

    /// <summary>200, or for a page the caller may not open the sign-in redirect, the "not allowed" page or a 404 that hides another state's record.</summary>
    private static bool CheckStatus(Route route, Caller caller, HttpStatusCode status, string? location, Finding context, List<Finding> findings)
    {
        if (status == HttpStatusCode.OK) return true;
        var deliberate = route.Protected && (
            caller.Person is null && status == HttpStatusCode.Redirect && location?.StartsWith("/account/sign-in", StringComparison.Ordinal) == true
            || caller.Person is not null && (status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                || status == HttpStatusCode.Redirect && location?.StartsWith("/account/denied", StringComparison.Ordinal) == true));
        // Sign-in pages send a signed-in person on, and the code step needs a password first: redirects they mean.
        deliberate |= route.Pattern.StartsWith("/account/sign-in", StringComparison.Ordinal) && status == HttpStatusCode.Redirect;
        // The "not allowed" page says so with its status.
        if (route.Pattern == "/account/denied" && status == HttpStatusCode.Forbidden) return true;
        if (!deliberate) findings.Add(context with { What = $"status {(int)status}{(location is null ? "" : " → " + location)}" });
        return deliberate && route.Pattern.StartsWith("/account/sign-in", StringComparison.Ordinal);
    }

    // ---- What the reader reads -------------------------------------------------------------------

    private sealed record Vocabulary(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Strings, // language → key → value
        HashSet<string> Keys, HashSet<string> KeyPrefixes, HashSet<string> Slugs, HashSet<string> StateCodes, HashSet<string> EnumNames,
        IReadOnlyDictionary<string, IReadOnlyList<string>> ForeignUiPhrases); // page language → English phrases that have a translation

    private static void Check(string html, string language, Vocabulary v, Finding context, List<Finding> findings, List<Finding> dataNotes)
    {
        void Ui(string what) => findings.Add(context with { What = what });
        var pageLanguage = HtmlLang().Match(html) is { Success: true } m ? m.Groups[1].Value : null;
        if (pageLanguage != language) Ui($"<html lang=\"{pageLanguage}\">");
        foreach (var (raw, lang) in VisibleText(html))
        {
            var text = Urls().Replace(raw, " ");
            if (string.IsNullOrWhiteSpace(text)) continue;
            // Text the page marks with a language is the dataset's (Display.Text marks every record text): its
            // words are the source's or the compiler's; a leak there is the data's to fix. The page's own text is unmarked.
            var data = lang is not null;
            // Help on a file's format names the codes to type ("recipient countries as KZ:60;UZ:40"): not a leak.
            var formatHelp = text.Contains("YYYY", StringComparison.Ordinal) || text.Contains("ГГГГ", StringComparison.Ordinal);
            void Add(string what) => (data ? dataNotes : findings).Add(context with { What = what });
            var own = lang is null || lang == language || lang.StartsWith(language + "-", StringComparison.Ordinal);
            if (Placeholder().Match(text) is { Success: true } p) Add($"format placeholder {p.Value} in \"{Clip(text)}\"");
            foreach (Match k in KeyLike().Matches(text))
                if (v.Keys.Contains(k.Value) || v.KeyPrefixes.Contains(k.Groups[1].Value.ToLowerInvariant())) Add($"resource key \"{k.Value}\"");
            foreach (var t in formatHelp ? Enumerable.Empty<Match>() : Token().Matches(text).AsEnumerable())
            {
                var token = t.Value.TrimEnd(':', '-');
                if (v.Slugs.Contains(token)) Add($"raw id \"{token}\" in \"{Clip(text)}\"");
                else if (v.EnumNames.Contains(token)) Add($"raw enum name \"{token}\" in \"{Clip(text)}\"");
                else if (v.StateCodes.Contains(token)) Add($"bare state code \"{token}\" in \"{Clip(text)}\"");
                else if (token.Contains(':') && token.Split(':').Any(part => v.Slugs.Contains(part) || v.StateCodes.Contains(part) || v.EnumNames.Contains(part))) Add($"raw key \"{token}\"");
            }
            if (!own) continue; // marked as another language: the reader is told
            if (language != "zh" && Han().Match(text) is { Success: true }) Add($"Chinese text not marked lang=zh: \"{Clip(text)}\"");
            if (language != "ru" && Cyrillic().Match(text) is { Success: true }) Add($"Russian text not marked lang=ru: \"{Clip(text)}\"");
            if (language != "en")
                foreach (var phrase in v.ForeignUiPhrases[language])
                    if (text.Contains(phrase, StringComparison.Ordinal)) Add($"English UI text \"{phrase}\" on a {language} page");
            if (!data) CheckFormats(text, language, Add);
        }
    }

    /// <summary>Dates, times and numbers as the reader writes them: "17 June 2025, 20:59", "17 июня 2025 г.", "2025年6月17日"; "1,234.5" / "1 234,5".</summary>
    private static void CheckFormats(string text, string language, Action<string> add)
    {
        if (SlashDate().Match(text) is { Success: true } d) add($"date written {d.Value} (not the reader's way)");
        if (TwelveHour().Match(text) is { Success: true } t) add($"12-hour time {t.Value}");
        if (IsoDate().Match(text) is { Success: true } iso && !text.Contains("YYYY", StringComparison.Ordinal) && !text.Contains("ГГГГ", StringComparison.Ordinal))
            add($"ISO date {iso.Value} shown as text in \"{Clip(text)}\"");
        if (language == "ru")
        {
            if (CommaGroups().Match(text) is { Success: true } n) add($"number {n.Value} written the English way on a Russian page");
            if (PointDecimal().Match(text) is { Success: true } n2 && !Version().IsMatch(text)) add($"decimal point in {n2.Value} on a Russian page (\"{Clip(text)}\")");
        }
        else if (SpaceGroupsWithComma().Match(text) is { Success: true } n) add($"number {n.Value} written the Russian way on a {language} page");
    }

    /// <summary>
    /// The text a reader sees, node by node, with the language it is marked with (the nearest <c>lang</c>
    /// above it; null for the page's own). Skips scripts, styles, code, preformatted text, form values
    /// and the hidden; attributes are not text.
    /// </summary>
    private static IEnumerable<(string Text, string? Lang)> VisibleText(string html)
    {
        var stack = new List<(string Tag, string? Lang, bool Skip)>();
        var body = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        var i = body < 0 ? 0 : body;
        var text = new StringBuilder();
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            var end = lt < 0 ? html.Length : lt;
            if (end > i)
            {
                var skip = stack.Any(s => s.Skip);
                if (!skip)
                {
                    var chunk = WebUtility.HtmlDecode(html[i..end]);
                    if (!string.IsNullOrWhiteSpace(chunk)) yield return (Regex.Replace(chunk, @"\s+", " ").Trim(), stack.LastOrDefault(s => s.Lang is not null).Lang);
                }
            }
            if (lt < 0) break;
            if (html.AsSpan(lt).StartsWith("<!--")) { var c = html.IndexOf("-->", lt, StringComparison.Ordinal); i = c < 0 ? html.Length : c + 3; continue; }
            var gt = html.IndexOf('>', lt);
            if (gt < 0) break;
            var tag = html[(lt + 1)..gt];
            i = gt + 1;
            if (tag.StartsWith('/'))
            {
                var name = tag[1..].Trim().ToLowerInvariant();
                var at = stack.FindLastIndex(s => s.Tag == name);
                if (at >= 0) stack.RemoveRange(at, stack.Count - at);
                continue;
            }
            if (tag.StartsWith('!')) continue;
            var tagName = TagName().Match(tag).Value.ToLowerInvariant();
            if (tagName is "br" or "img" or "input" or "meta" or "link" or "hr" or "wbr" or "source" or "col" or "area" or "base" or "embed" or "param" or "track" || tag.EndsWith('/')) continue;
            var lang = LangAttribute().Match(tag) is { Success: true } l ? l.Groups[1].Value : null;
            var hidden = tagName is "script" or "style" or "code" or "pre" or "textarea" or "template" or "noscript" || HiddenAttribute().IsMatch(tag);
            stack.Add((tagName, lang, hidden));
            if (tagName is "script" or "style")
            {
                var close = html.IndexOf("</" + tagName, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : close;
            }
        }
    }

    private static IEnumerable<string> Links(string html)
    {
        foreach (Match m in Href().Matches(html))
        {
            var href = WebUtility.HtmlDecode(m.Groups[1].Value);
            if (!href.StartsWith('/') || href.StartsWith("//", StringComparison.Ordinal)) continue;
            var path = href.Split('?', '#')[0];
            if (path.Length > 1) yield return path;
        }
    }

    private static string WithCulture(string url, string language) => url + (url.Contains('?') ? "&" : "?") + "culture=" + language;

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";

    // ---- Routes and the ids to fill them with ----------------------------------------------------

    private sealed record Route(string Pattern, IReadOnlyList<string> Parameters, bool Protected, Regex Regex)
    {
        public bool Matches(string url) => Regex.IsMatch(url);
    }

    /// <summary>Every portal page and every GET endpoint outside the API that answers HTML, from the app's endpoint table.</summary>
    private async Task<List<Route>> PortalRoutesAsync()
    {
        var loader = app.Services.GetRequiredService<PageLoader>();
        var routes = new List<Route>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            bool isProtected;
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                if (pattern == "/error") continue; // reached through every error status instead
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                isProtected = compiled.EndpointMetadata.OfType<IAuthorizeData>().Any();
            }
            else
            {
                var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
                if (!methods.Contains("GET")) continue;
                // The JSON API, its reference and the health probes are not pages; what else answers GET is checked if it is HTML.
                if (pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern.StartsWith("/openapi", StringComparison.Ordinal) || pattern.StartsWith("/health", StringComparison.Ordinal)) continue;
                var produces = endpoint.Metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>().SelectMany(p => p.ContentTypes).ToList();
                if (produces.Count > 0 && !produces.Any(c => c.StartsWith("text/html", StringComparison.Ordinal))) continue;
                isProtected = endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null;
            }
            if (routes.Any(r => r.Pattern == pattern)) continue;
            var parameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            var regex = "^" + string.Concat(endpoint.RoutePattern.PathSegments.Select(s => "/" + string.Concat(s.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => Regex.Escape(l.Content),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { IsCatchAll: true } => ".+",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "[^/]+",
                _ => "",
            })))) + "$";
            routes.Add(new(pattern == "/" ? "/" : pattern, parameters, isProtected, new Regex(pattern == "/" ? "^/$" : regex)));
        }
        // Literal routes before parameter routes: "/projects/map" is the map, not a project called "map".
        return [.. routes.OrderBy(r => r.Parameters.Count).ThenByDescending(r => r.Pattern.Length)];
    }

    /// <summary>The seeded records' pages (and the sample project's): the crawl adds what the pages link to.</summary>
    private async Task<List<string>> SeededUrlsAsync()
    {
        await using var db = app.NewDbContext();
        var urls = new List<string>();
        urls.AddRange((await db.MemberStates.Select(s => s.Id).ToListAsync(Ct)).SelectMany(s => new[] { $"/states/{s}", $"/dashboard/{s}" }));
        urls.AddRange((await db.Bodies.Select(s => s.Id).ToListAsync(Ct)).SelectMany(id => new[] { $"/bodies/{id}", $"/history/bodies/{id}" }));
        urls.AddRange((await db.Meetings.Select(s => s.Id).ToListAsync(Ct)).Select(id => $"/meetings/{id}"));
        var documents = await db.Documents.Select(d => new { d.Id, d.Kind }).ToListAsync(Ct);
        urls.AddRange(documents.SelectMany(d => new[] { $"/documents/{d.Id}", $"/history/documents/{d.Id}" }));
        urls.AddRange(documents.Where(d => d.Kind == Caravan.Features.Documents.DocumentKind.Treaty).Select(d => $"/treaties/{d.Id}"));
        urls.AddRange((await db.Commitments.Select(s => s.Id).ToListAsync(Ct)).Select(id => $"/commitments/{id}"));
        urls.AddRange((await db.Indicators.Select(s => s.Id).ToListAsync(Ct)).Select(id => $"/indicators/{id}"));
        urls.AddRange((await db.Programmes.Select(s => s.Id).ToListAsync(Ct)).SelectMany(id => new[] { $"/programmes/{id}", $"/programmes/{id}/record" }));
        urls.AddRange((await db.Partnerships.Select(s => s.Id).ToListAsync(Ct)).Select(id => $"/partnerships/{id}"));
        urls.AddRange((await db.Projects.Where(p => p.Published).Select(p => p.IatiIdentifier).ToListAsync(Ct)).Select(id => $"/projects/{id}"));
        urls.AddRange((await db.SelectionCalls.Select(s => s.Id).ToListAsync(Ct)).SelectMany(id => new[] { $"/selections/{id}", $"/selections/{id}/act" }));
        urls.AddRange((await db.Submissions.Select(s => s.Id).ToListAsync(Ct)).Select(id => $"/submissions/{id}"));
        urls.AddRange((await db.Rounds.Select(r => r.Id).ToListAsync(Ct)).Select(id => $"/rounds/{id}"));
        urls.Add("/work/indicator-values/trade-turnover-usd:2023:KZ");
        urls.Add("/work/bodies/secretariat");
        return urls;
    }

    /// <summary>A sample project (imported as the secretariat would), a selection call in its three languages and a coordinator's pending submission, so that every page has a record to show.</summary>
    private async Task SampleDataAsync()
    {
        await using (var db = app.NewDbContext())
            if (!await db.Projects.AnyAsync(Ct)) await ProjectData.SeedAsync(app.Services);
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var created = await app.Api(secretariat).PostAsJsonAsync("/api/v1/selections", new
        {
            title = new { en = "Culture and tourism capital 2027", ru = "Столица культуры и туризма 2027 года", zh = "2027年文化和旅游之都" },
            description = new { en = "The call for nominations.", ru = "Приём заявок.", zh = "征集提名。" },
            nominationsFrom = Day(today.AddDays(-1)), nominationsTo = Day(today.AddDays(5)), scoringDeadline = Day(today.AddDays(30)),
            criteria = new object[] { new { id = "heritage", name = new { en = "Cultural heritage", ru = "Культурное наследие", zh = "文化遗产" }, weight = 1 } },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetString();
        Assert.True((await app.Api(secretariat).PostAsJsonAsync($"/api/v1/selections/{id}/phase", new { phase = "nominating" }, Ct)).IsSuccessStatusCode);
        var nominated = await app.Api(kz).PostAsJsonAsync($"/api/v1/selections/{id}/nominations", new
        {
            city = new { en = "Turkistan", ru = "Туркестан", zh = "突厥斯坦" },
            statement = new { en = "A city of the Silk Road.", ru = "Город Шёлкового пути.", zh = "丝绸之路上的城市。" },
            evidenceUrl = "https://example.org/dossier.pdf",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, nominated.StatusCode);
        var proposed = await app.Api(kz).PutChangeAsync("/api/v1/records/indicator-values/trade-turnover-usd:2023:KZ", new { values = new { value = "41.03" }, reason = "customs statistics, final", sources = Cite.One() }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        await using (var db = app.NewDbContext())
            if (!await db.Rounds.AnyAsync(r => r.OpenPeriodId == "astana-to-2027", Ct))
                Assert.Equal(HttpStatusCode.Created, (await app.Api(secretariat).PostAsJsonAsync("/api/v1/rounds", new
                {
                    name = new { en = "Status before the foreign ministers' meeting", ru = "Состояние перед встречей министров иностранных дел", zh = "外长会晤前的进展" },
                    period = "astana-to-2027", dueOn = Day(today.AddDays(30)), reminderDays = new[] { 7, 1 },
                }, Ct)).StatusCode);
    }

    /// <summary>What must never be shown as text: the UI strings' keys, the seeded ids, the enums' member names, and English UI phrases that have a translation.</summary>
    private async Task<Vocabulary> VocabularyAsync()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Caravan.slnx"))) folder = folder.Parent;
        var resources = Path.Combine(folder!.FullName, "src", "Caravan.Web", "Resources");
        var strings = Languages.ToDictionary(l => l, l => (IReadOnlyDictionary<string, string>)XDocument.Load(Path.Combine(resources, l == "en" ? "SharedResource.resx" : $"SharedResource.{l}.resx"))
            .Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value));
        var keys = strings["en"].Keys.Where(k => k.Contains('.')).ToHashSet(StringComparer.Ordinal);
        var enumTypes = typeof(Caravan.Features.Seed.SeedEnums).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic && t.Namespace?.StartsWith("Caravan.Features", StringComparison.Ordinal) == true).ToList();
        var prefixes = keys.Select(k => k[..k.IndexOf('.')].ToLowerInvariant()).Concat(enumTypes.Select(t => t.Name.ToLowerInvariant())).ToHashSet();
        // Names that are words of a sentence too ("Agreed", "summit") are not evidence of a leak: only names no sentence contains.
        var enumNames = enumTypes.SelectMany(t => Enum.GetNames(t)).SelectMany(n => new[] { n, Caravan.Features.Seed.SeedEnums.ToKebab(n) })
            .Where(n => n.Contains('-') || Regex.IsMatch(n, "^[A-Z][a-z]+[A-Z]")).ToHashSet(StringComparer.Ordinal);
        foreach (var role in Enum.GetValues<CaravanRole>()) enumNames.Add(Caravan.Features.Accounts.Caller.RoleName(role));
        await using var db = app.NewDbContext();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        slugs.UnionWith(await db.Bodies.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.Meetings.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.Documents.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.PriorityDirections.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.Measures.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.Indicators.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.ReportedFigures.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.ReportingPeriods.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.Commitments.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.Programmes.Select(x => x.Id).ToListAsync(Ct));
        slugs.UnionWith(await db.Partnerships.Select(x => x.Id).ToListAsync(Ct));
        slugs.RemoveWhere(s => !s.Contains('-')); // "summit" is also a word
        var states = (await db.MemberStates.Select(x => x.Id).ToListAsync(Ct)).ToHashSet(StringComparer.Ordinal);
        // An English UI phrase (two words or more, outside its placeholders) whose translation differs must not show on that language's page.
        var phrases = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var language in new[] { "zh", "ru" })
            phrases[language] = [.. strings["en"].Where(kv => strings[language].TryGetValue(kv.Key, out var t) && t != kv.Value)
                .SelectMany(kv => PlaceholderSplit().Split(kv.Value)).Select(s => s.Trim(' ', ',', '.', ':', ';', '(', ')', '·'))
                .Where(s => s.Length >= 12 && s.Count(c => c == ' ') >= 1 && s.All(c => c < 0x2000))
                .Distinct(StringComparer.Ordinal)];
        return new(strings, keys, prefixes, slugs, states, enumNames, phrases);
    }

    // ---- Patterns --------------------------------------------------------------------------------

    [GeneratedRegex(@"<html[^>]*\blang=""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLang();
    [GeneratedRegex("""^[a-zA-Z0-9-]+""")]
    private static partial Regex TagName();
    [GeneratedRegex(@"\slang=""([^""]*)""")]
    private static partial Regex LangAttribute();
    [GeneratedRegex("""\s(hidden(\s|=|$)|aria-hidden="true")""")]
    private static partial Regex HiddenAttribute();
    [GeneratedRegex(@"\shref=""([^""]*)""")]
    private static partial Regex Href();
    [GeneratedRegex("""[\w.+-]+@[\w-]+(\.[\w-]+)+|(https?://|www\.|/api/)\S+|\b[\w-]+(\.[\w-]+)*\.(com|org|net|int|gov|edu|info|cn|kz|kg|tj|tm|uz|ru|io|pdf|xml|csv|xlsx|json|txt|docx)\b""")]
    private static partial Regex Urls();
    [GeneratedRegex("""\{\d+(:[^}]*)?\}""")]
    private static partial Regex Placeholder();
    [GeneratedRegex("""\b([A-Za-z]+)\.([a-z0-9][a-z0-9-]*)\b""")]
    private static partial Regex KeyLike();
    [GeneratedRegex("""[A-Za-z0-9][A-Za-z0-9:-]*""")]
    private static partial Regex Token();
    [GeneratedRegex("""\p{IsCJKUnifiedIdeographs}""")]
    private static partial Regex Han();
    [GeneratedRegex("""\p{IsCyrillic}""")]
    private static partial Regex Cyrillic();
    [GeneratedRegex("""\b\d{1,4}/\d{1,2}/\d{1,4}\b""")]
    private static partial Regex SlashDate();
    [GeneratedRegex("""\d{1,2}:\d{2}\s?(AM|PM|am|pm)\b|(上午|下午)\d{1,2}:\d{2}""")]
    private static partial Regex TwelveHour();
    [GeneratedRegex("""(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])""")]
    private static partial Regex IsoDate();
    [GeneratedRegex("""(?<![\d.,])\d{1,3}(,\d{3})+(\.\d+)?(?![\d°])""")]
    private static partial Regex CommaGroups();
    [GeneratedRegex("""(?<![\d.])\d+\.\d+(?![\d.])""")]
    private static partial Regex PointDecimal();
    [GeneratedRegex("""IATI \d\.\d{2}|OpenAPI \d\.\d|\bv\d+\.\d+|ISO \d+""")]
    private static partial Regex Version();
    [GeneratedRegex("""(?<![\d,])\d{1,3}([\u00a0\u202f ]\d{3})+,\d+""")]
    private static partial Regex SpaceGroupsWithComma();
    [GeneratedRegex("""\{\d+(:[^}]*)?\}""")]
    private static partial Regex PlaceholderSplit();
}

public sealed class PageCheckTestsOnSqlite(SqliteApp app) : PageCheckTests(app), IClassFixture<SqliteApp>;

public sealed class PageCheckTestsOnPostgres(PostgresApp app) : PageCheckTests(app), IClassFixture<PostgresApp>;

/// <summary>The same walk in the Production environment (as deployed: HTTPS at the proxy, production error pages).</summary>
public sealed class PageCheckTestsInProductionOnSqlite(ProductionPagesSqliteApp app) : PageCheckTests(app), IClassFixture<ProductionPagesSqliteApp>;

public sealed class PageCheckTestsInProductionOnPostgres(ProductionPagesPostgresApp app) : PageCheckTests(app), IClassFixture<ProductionPagesPostgresApp>;

public sealed class ProductionPagesSqliteApp : SqliteApp
{
    protected override string EnvironmentName => "Production";
    protected override bool Https => true;
}

public sealed class ProductionPagesPostgresApp : PostgresApp
{
    protected override string EnvironmentName => "Production";
    protected override bool Https => true;
}

/// <summary>
/// Every page read by the public from a streaming standby (ADR 0030): a page that wrote on a public GET would fail here
/// (a standby refuses writes), and one that read something a standby cannot give would too.
/// </summary>
public sealed class PageCheckTestsOnStandby(StandbyApp app) : PageCheckTests(app), IClassFixture<StandbyApp>;
