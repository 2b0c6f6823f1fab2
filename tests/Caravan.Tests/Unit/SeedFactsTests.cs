using System.Text.Json;
using System.Text.RegularExpressions;
using Caravan.Features.Seed;
using Caravan.Shared;
using Caravan.Tests.Integration;
using Caravan.Tests.Support;

namespace Caravan.Tests.Unit;

/// <summary>
/// The seed dataset says what its sources say: each test reads seed/cca-mechanism.json beside the facts it was
/// written from (../shared/brief/facts) and fails on a fact, a flag or a score those facts do not support.
/// Each one is a finding of the dataset audit of issue 12 that it would have caught.
/// </summary>
public sealed partial class SeedFactsTests
{
    private static readonly SeedDataset Seed = SeedFile.Load(SeedDataTests.SeedPath).Dataset;
    private static readonly string[] Languages = ["en", "zh", "ru"];

    private static JsonElement Facts(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Requirements.SharedFolder("brief/facts"), file))).RootElement;

    private static string? Text(JsonElement o, string language) =>
        o.TryGetProperty(language, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    /// <summary>The URL of each source a seed row cites (null for the Xinhua feature, which has none).</summary>
    private static IEnumerable<string?> Urls(ICitedSeedRow row) => row.Citations.Select(c => Seed.Sources[c.Source].Url);

    [Fact]
    public void A_measure_and_its_programme_cite_only_the_sources_the_facts_give_for_that_measure()
    {
        var facts = Facts("cca-facts.json").GetProperty("measures").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        // Seed measure → the facts' measure it is written from.
        var map = new Dictionary<string, string>
        {
            ["grant-2025"] = "m-2025-grant", ["training-places-2025"] = "m-2025-training", ["cooperation-centres-2025"] = "m-2025-centres",
            ["language-courses-2025"] = "m-2025-languages", ["training-places-2024"] = "m-2024-fm5", ["scholarships-2024"] = "m-2024-fm5",
            ["financing-2023"] = "m-2023-financing", ["grant-2022"] = "m-2022-grant", ["training-places-2022"] = "m-2022-grant",
            ["scholarships-2022"] = "m-2022-grant", ["sister-cities-target-2022"] = "m-2022-grant",
        };
        Assert.Equal(map.Keys.Order(), Seed.Measures.Select(m => m.Id).Order());
        foreach (var measure in Seed.Measures)
        {
            var given = facts[map[measure.Id]].GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()).ToHashSet();
            // The Xinhua feature of 19 June 2025 (no URL) is the brief's own source for the Astana measures.
            var rows = Seed.Programmes.Where(p => p.Measure == measure.Id).Cast<ICitedSeedRow>().Prepend(measure);
            foreach (var row in rows)
                Assert.All(Urls(row).Where(u => u is not null), url => Assert.True(given.Contains(url), $"{measure.Id} cites {url}, which the facts do not give for {map[measure.Id]}"));
        }
        // The corrected citation: the 24.kg report of the 2025 grant belongs to the 2025 grant, not to the 2023 financing.
        Assert.Contains("24kg_grant", Seed.Measures.Single(m => m.Id == "grant-2025").Citations.Select(c => c.Source));
        Assert.DoesNotContain("24kg_grant", Seed.Programmes.Single(m => m.Id == "financing-2023").Citations.Select(c => c.Source));
    }

    [Fact]
    public void A_figure_keeps_the_qualifier_its_source_states()
    {
        // "At least 3" is not exactly 3, nor "more than" 3.
        foreach (var (at, qualifier, note) in Seed.Indicators.SelectMany(i => i.Values.Select(v => ($"{i.Id}:{v.Year}:{v.State}", v.Qualifier, v.Note?.En)))
                     .Concat(Seed.ReportedFigures.Select(f => (f.Id, f.Qualifier, f.Note?.En))))
        {
            if (note is null) continue;
            if (AtLeast().IsMatch(note)) Assert.True(qualifier == "at-least", $"{at}: the note says 'at least' but the qualifier is '{qualifier}'");
        }
        Assert.Equal("at-least", Assert.Single(Seed.Indicators.Single(i => i.Id == "luban-workshops").Values).Qualifier);
    }

    [Fact]
    public void Each_state_is_named_as_it_names_itself_and_no_official_name_is_marked_as_a_translation()
    {
        var members = Facts("cca-facts.json").GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("iso2").GetString()!);
        foreach (var state in Seed.MemberStates)
        {
            var name = members[state.Id].GetProperty("name");
            foreach (var language in Languages)
            {
                Assert.Equal(Text(name, language), state.Name[language]);
                Assert.False(string.IsNullOrWhiteSpace(state.ShortName[language]), $"{state.Id} has no short name in {language}");
            }
            // The full names come from the facts in all three languages, the short names from each state's usage: none is Caravan's.
            Assert.Empty(state.Translated);
        }
        // Kyrgyzstan's Constitution (Art. 1) and its Russian-language usage: «Кыргызская Республика (Кыргызстан)».
        Assert.Equal("Кыргызстан", Seed.MemberStates.Single(s => s.Id == "KG").ShortName.Ru);
        Assert.DoesNotContain(AllTexts(), t => t.Text.Contains("Киргизи", StringComparison.Ordinal));
    }

    [Fact]
    public void A_commitment_text_is_the_agreed_wording_or_marked_as_Caravans_summary_and_translated_marks_only_Caravans_translations()
    {
        var summaries = Facts("astana-agreed-items.json").EnumerateArray().Select(i => i.GetProperty("summary")).ToList();
        var provisions = Seed.Documents.SelectMany(d => d.Texts.SelectMany(t => t.Provisions.Select(p => (d.Id, t.Language, p.Text)))).ToHashSet();
        foreach (var c in Seed.Commitments)
        {
            var own = Languages.Where(l => c.Text[l] is not null && !c.Translated.Contains(l)).ToList();
            Assert.NotEmpty(own);
            if (!c.Summary)
            {
                // Shown as the agreed text: it must be a provision of its document, word for word, in each language not marked.
                Assert.All(own, l => Assert.True(provisions.Contains((c.Document ?? "", l, c.Text[l]!)), $"{c.Id}: the {l} text is shown as agreed wording but is no provision of {c.Document}"));
                continue;
            }
            var compiled = summaries.FirstOrDefault(s => Languages.All(l => Text(s, l) == c.Text[l]));
            if (compiled.ValueKind != JsonValueKind.Undefined)
                Assert.Empty(c.Translated); // the compiler wrote each language: none of them is a translation
            else
                Assert.Single(own); // Caravan summarised in one language; the others are its translations
        }
        // The texts written in English and then put into Chinese and Russian say so.
        Assert.Equal(["ru", "zh"], Seed.Commitments.Single(c => c.Id == "secretariat-2023").Translated.Order());
    }

    [Fact]
    public void The_visa_arrangements_terms_are_marked_as_Caravans_wording_in_every_language()
    {
        // The sources are news reports in Chinese; the terms as written here are Caravan's in every language.
        foreach (var p in Seed.Partnerships.Where(p => p.Kind == "visa-arrangement"))
            Assert.All(Languages.Where(l => p.Terms?[l] is not null), l => Assert.Contains(l, p.Translated));
    }

    [Fact]
    public void A_direction_and_a_body_are_named_as_the_facts_render_them_or_marked_as_Caravans_rendering()
    {
        var facts = Facts("cca-facts.json");
        var directions = facts.GetProperty("priorityDirections").EnumerateArray().ToDictionary(d => d.GetProperty("order").GetInt32());
        foreach (var d in Seed.PriorityDirections)
        {
            var f = directions[d.Order];
            Assert.Equal(f.GetProperty("zh").GetString(), d.Name.Zh);
            Assert.DoesNotContain("zh", d.Translated);
            // The facts' English, without the alternatives it adds in brackets, in either spelling.
            var en = Regex.Replace(f.GetProperty("en").GetString()!, @"\s*\(.*\)$", "").Replace("ization", "isation", StringComparison.Ordinal);
            Assert.True(d.Name.En == en || d.Translated.Contains("en"), $"{d.Id}: '{d.Name.En}' is not the facts' '{en}' and is not marked as Caravan's rendering");
            Assert.Contains("ru", d.Translated); // the facts give no Russian names of the directions
        }
        var named = facts.GetProperty("centres").EnumerateArray().Concat(facts.GetProperty("platforms").EnumerateArray())
            .Select(b => b.GetProperty("name")).ToList();
        foreach (var body in Seed.Bodies)
        {
            var f = named.FirstOrDefault(n => Text(n, "zh") == body.Name.Zh);
            Assert.True(f.ValueKind == JsonValueKind.Object, $"{body.Id}: its Chinese name is not in the facts");
            foreach (var language in Languages)
                if (!body.Translated.Contains(language))
                    Assert.True(Text(f, language) == body.Name[language], $"{body.Id}: the {language} name '{body.Name[language]}' is not the facts' and is not marked as Caravan's");
        }
    }

    [Fact]
    public void A_document_title_not_marked_as_Caravans_is_the_title_the_facts_give()
    {
        var titles = Facts("cca-facts.json").GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("title"))
            .Concat(Facts("astana-outcomes-list.json").GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("title"))).ToList();
        foreach (var doc in Seed.Documents.Where(d => d.Meeting == "summit-2025-astana" || d.Id.EndsWith("-2023", StringComparison.Ordinal) && d.Meeting == "summit-2023-xian"))
            foreach (var language in Languages.Where(l => doc.Title[l] is not null && !doc.Translated.Contains(l)))
                Assert.True(titles.Any(t => Bare(Text(t, language)) == doc.Title[language]), $"{doc.Id}: the {language} title '{doc.Title[language]}' is in no facts file and is not marked as Caravan's");
        // One rendering of the treaty's title (the list of outcomes'), not "Permanent (Eternal)".
        Assert.Equal("Treaty on Permanent Good-Neighbourliness, Friendship and Cooperation", Seed.Documents.Single(d => d.Id == "good-neighbourliness-treaty-2025").Title.En);
    }

    /// <summary>A facts title without the compiler's remarks in brackets ("(descriptive, Daryo)", "(field only; title not found)").</summary>
    private static string? Bare(string? title) => title is null ? null : BracketedRemark().Replace(title, "").Trim();

    [Fact]
    public void A_score_rests_on_what_its_source_reports_not_on_what_was_not_found()
    {
        foreach (var c in Seed.Commitments)
            foreach (var a in c.Assessments)
                Assert.All(Languages.Select(l => a.Evidence[l]).OfType<string>(), e =>
                {
                    Assert.DoesNotContain("not found", e, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("by the six states", e, StringComparison.OrdinalIgnoreCase);
                });
        // The Secretariat: only its host is scored for Xi'an–Astana; Uzbekistan's ratification of its regulations is reported in January 2026.
        var secretariat = Seed.Commitments.Single(c => c.Id == "secretariat-2023");
        Assert.Equal(["CN"], secretariat.Assessments.Select(a => a.State));
        var period = Seed.ReportingPeriods.Single(p => p.Id == "xian-to-astana");
        Assert.True(string.CompareOrdinal("2026-01", period.To) > 0);
        // Kyrgyzstan: the source headline says it ratified, and the scale's +1 is a reported ratification.
        var treaty = Seed.Commitments.Single(c => c.Id == "good-neighbourliness-treaty-ratification");
        Assert.Equal(("KG", 1), (Assert.Single(treaty.Assessments).State, treaty.Assessments[0].Score));
        Assert.Contains("ratif", treaty.Rubric!.Plus!.En, StringComparison.Ordinal);
        Assert.Contains(Seed.Documents.Single(d => d.Id == "good-neighbourliness-treaty-2025").Ratification, s => s.State == "KG");
        // No source names a lead body of the treaty's ratification.
        Assert.Empty(treaty.Lead);
    }

    [Fact]
    public void The_sister_city_agreements_list_only_the_party_the_sources_give()
    {
        var doc = Seed.Documents.Single(d => d.Id == "sister-city-agreements-2025");
        Assert.Equal(["CN"], doc.Parties);
        Assert.Contains("not known", doc.Note!.En, StringComparison.Ordinal);
    }

    [Fact]
    public void No_commitment_predates_the_period_it_is_first_assessed_in()
    {
        foreach (var c in Seed.Commitments.Where(c => c.Document is not null))
        {
            var signed = Seed.Documents.Single(d => d.Id == c.Document).SignedOn;
            var from = Seed.ReportingPeriods.Single(p => p.Id == c.FirstPeriod).From;
            if (signed is not null)
                Assert.True(PartialDate.Parse(signed).Latest >= PartialDate.Parse(from).Earliest, $"{c.Id}: its document was signed on {signed}, before {c.FirstPeriod} begins ({from})");
        }
    }

    /// <summary>
    /// The format's name. Caravan's own words follow the brief's glossary: «Китай – Центральная Азия» in Russian, 中国—中亚 in
    /// Chinese. A name or title a source gives (not marked translated) is kept as the source writes it: the Central Asian side's
    /// official Russian titles say «Центральная Азия – Китай», and the theme year is “中国中亚合作高质量发展年”.
    /// </summary>
    [Fact]
    public void The_format_is_named_one_way_in_Caravans_words_and_as_the_source_gives_it_in_an_official_title()
    {
        var sourcedNames = AllTexts().Where(t => t.Sourced).Select(t => t.Text).ToList();
        foreach (var (path, language, text, sourced) in AllTexts())
        {
            if (language == "ru")
            {
                Assert.DoesNotContain("Китай — Центральная Азия", text, StringComparison.Ordinal);
                Assert.DoesNotContain("Центральная Азия - Китай", text, StringComparison.Ordinal);
                if (!sourced && text.Contains("Центральная Азия – Китай", StringComparison.Ordinal))
                    Assert.True(sourcedNames.Any(n => n.Contains("Центральная Азия – Китай", StringComparison.Ordinal) && text.Contains(n, StringComparison.Ordinal)),
                        $"{path}: Caravan's Russian names the format «Центральная Азия – Китай» outside a quoted official title");
            }
            if (language == "zh")
            {
                Assert.DoesNotContain("中国-中亚", text, StringComparison.Ordinal);
                Assert.True(!text.Contains("中国中亚", StringComparison.Ordinal) || text.Contains("中国中亚合作高质量发展年", StringComparison.Ordinal), $"{path}: 中国中亚 for 中国—中亚");
            }
        }
        Assert.Contains(AllTexts(), t => t.Language == "ru" && !t.Sourced && t.Text.Contains("«Китай – Центральная Азия»", StringComparison.Ordinal));
    }

    [Fact]
    public void The_31_agreed_items_of_the_Astana_summit_are_registered_as_the_facts_give_them()
    {
        var items = Facts("astana-agreed-items.json").EnumerateArray().ToList();
        Assert.Equal(31, items.Count);
        // Items that were already registered keep their public id.
        var existing = new Dictionary<string, string>
        {
            ["centre-poverty-reduction"] = "poverty-reduction-centre-2025", ["centre-education-exchange"] = "education-exchange-centre-2025",
            ["centre-desertification"] = "desertification-control-centre-2025", ["platform-trade-facilitation"] = "trade-facilitation-platform-2025",
            ["cn-grant-1-5bn-2025"] = "grant-2025", ["cn-training-3000"] = "training-places-2025", ["treaty-ratify"] = "good-neighbourliness-treaty-ratification",
        };
        var directions = new Dictionary<string, string>
        {
            ["贸易畅通"] = "trade-facilitation", ["产业投资"] = "industrial-investment", ["互联互通"] = "connectivity",
            ["绿色矿产"] = "green-minerals", ["农业现代化"] = "agricultural-modernisation", ["人员往来"] = "people-to-people-exchanges",
        };
        foreach (var item in items)
        {
            var id = item.GetProperty("id").GetString()!;
            var c = Seed.Commitments.SingleOrDefault(x => x.Id == existing.GetValueOrDefault(id, id));
            Assert.True(c is not null, $"agreed item {id} is not registered");
            var summary = item.GetProperty("summary");
            Assert.All(Languages, l => Assert.Equal(Text(summary, l), c.Text[l]));
            Assert.True(c.Summary, $"{c.Id}: the compiler's summary is shown as the agreed text");
            Assert.Empty(c.Translated);
            Assert.Equal("summit-2025-astana", c.Meeting);
            var parties = item.GetProperty("parties");
            Assert.Equal(parties.ValueKind == JsonValueKind.Null ? [] : parties.EnumerateArray().Select(p => p.GetString()!).ToList(), c.Parties);
            var direction = item.GetProperty("direction");
            Assert.Equal(direction.ValueKind == JsonValueKind.Null ? null : directions[direction.GetString()!], c.Direction);
            var deadline = item.GetProperty("deadline");
            Assert.Equal(deadline.ValueKind == JsonValueKind.Null ? null : deadline.GetString(), c.Deadline);
            Assert.Equal(KindOf(item), c.Kind);
            if (item.GetProperty("quantity") is { ValueKind: JsonValueKind.Object } quantity)
                Assert.True(c.Target?.En?.Contains(quantity.GetProperty("value").GetDecimal().ToString("#,0", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) == true
                            || c.Measure is not null && Seed.Measures.Single(m => m.Id == c.Measure).Amount == quantity.GetProperty("value").GetDecimal(),
                    $"{c.Id}: the quantity {quantity} is neither its target nor its measure");
            // Each source, with the confidence the compiler gives it.
            foreach (var source in item.GetProperty("sources").EnumerateArray())
            {
                var url = source.GetProperty("url").GetString();
                var cited = c.Citations.Where(x => Seed.Sources[x.Source].Url == url).ToList();
                Assert.True(cited.Count == 1, $"{c.Id} does not cite {url ?? "the Xinhua feature"}");
                if (url is not null) Assert.Equal(source.GetProperty("confidence").GetString(), cited[0].Confidence);
            }
        }
        Assert.Contains(Seed.Commitments, c => c.Id == "decl-secretariat-support" && c.Parties.Count == 0); // parties not listed: unknown stays unknown
    }

    /// <summary>The facts' kind of undertaking in Caravan's kinds (docs/seed-format.md).</summary>
    private static string KindOf(JsonElement item) => item.GetProperty("kind").GetString() switch
    {
        "establish-body" or "ratify" or "sign-document" => "institutional",
        "cooperate" or "policy-support" or "designate-period" or "hold-event" => "policy",
        "deliver-quantity" => item.GetProperty("quantity").GetProperty("unit").GetString() is "CNY" or "USD" ? "financial" : "programme",
        var other => throw new InvalidOperationException($"kind {other} has no Caravan kind"),
    };

    [Fact]
    public void The_documents_of_the_Astana_list_of_outcomes_are_registered()
    {
        var registered = new Dictionary<string, string?>
        {
            ["astana-declaration"] = "astana-declaration-2025", ["treaty-permanent-good-neighbourliness"] = "good-neighbourliness-treaty-2025",
            ["bri-action-plan"] = "bri-action-plan-2025", ["people-exchange-facilitation-initiative"] = "people-to-people-exchanges-initiative-2025",
            ["green-minerals-mou"] = "green-minerals-mou-2025", ["trade-facilitation-mou"] = "seamless-trade-mou-2025",
            ["economy-trade-action-plan"] = "economy-trade-action-plan-2025", ["industry-mou-miit"] = "industry-miit-mou-2025",
            ["connectivity-document"] = "connectivity-cooperation-document-2025", ["customs-document"] = "customs-cooperation-document-2025",
            ["sister-city-agreements"] = "sister-city-agreements-2025", ["cn-tm-econ-tech-agreement"] = "china-turkmenistan-economic-technical-cooperation-agreement-2025",
            ["cn-uz-wto-protocol"] = "china-uzbekistan-wto-accession-protocol-2025", ["cn-kg-bilateral-docs"] = "china-kyrgyzstan-bilateral-documents-2025",
            ["cn-tj-bilateral-docs"] = "china-tajikistan-bilateral-documents-2025", ["cn-kz-bilateral-docs"] = "china-kazakhstan-bilateral-documents-2025",
            // A broadcasters' initiative with no state as party: not an outcome document of the states.
            ["media-cooperation-initiative"] = null,
        };
        var documents = Facts("astana-outcomes-list.json").GetProperty("documents").EnumerateArray().ToList();
        Assert.Equal(registered.Keys.Order(), documents.Select(d => d.GetProperty("id").GetString()!).Order());
        foreach (var f in documents)
        {
            if (registered[f.GetProperty("id").GetString()!] is not { } id) { Assert.Equal(JsonValueKind.Null, f.GetProperty("parties").ValueKind); continue; }
            var doc = Seed.Documents.Single(d => d.Id == id);
            // The CN–KZ documents were exchanged on 16 June, as the list's note says; its date is the report's.
            Assert.Equal(id == "china-kazakhstan-bilateral-documents-2025" ? "2025-06-16" : f.GetProperty("date").GetString(), doc.SignedOn);
            Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(doc.Title[l]), $"{id} has no {l} title"));
            if (id != "sister-city-agreements-2025") // the sources name no Central Asian party (see the test above)
                Assert.Equal(f.GetProperty("parties").EnumerateArray().Select(p => p.GetString()), doc.Parties);
            var urls = f.GetProperty("sources").EnumerateArray().Select(x => x.GetProperty("url").GetString()).ToList();
            Assert.True(Urls(doc).Any(urls.Contains), $"{id} cites none of the sources the list of outcomes gives for it");
        }
    }

    [Fact]
    public void Every_commitment_body_document_and_direction_is_in_all_three_languages()
    {
        foreach (var c in Seed.Commitments) Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(c.Text[l]), $"commitment {c.Id} has no {l} text"));
        foreach (var b in Seed.Bodies) Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(b.Name[l]), $"body {b.Id} has no {l} name"));
        foreach (var d in Seed.Documents) Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(d.Title[l]), $"document {d.Id} has no {l} title"));
        foreach (var d in Seed.PriorityDirections) Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(d.Name[l]), $"direction {d.Id} has no {l} name"));
        foreach (var (id, text) in Seed.Bodies.Select(b => (b.Id, b.Note)).Concat(Seed.Meetings.Select(m => (m.Id, m.Note)))
                     .Concat(Seed.Measures.SelectMany(m => new[] { (m.Id, (LocalizedText?)m.Description), (m.Id, m.Note) }))
                     .Concat(Seed.Indicators.Select(i => (i.Id, i.Description))).Concat(Seed.ReportedFigures.Select(f => (f.Id, f.Note)))
                     .Concat(Seed.Partnerships.SelectMany(p => new[] { (p.Id, p.Institution), (p.Id, p.PartnerInstitution), (p.Id, p.Note) })).Concat(Seed.Documents.SelectMany(d => new[] { (d.Id, d.Summary), (d.Id, d.Note) })))
            if (text is not null) Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(text[l]), $"{id}: a note or summary has no {l} text"));
        // Where it was signed, sits or met: a place name is no reason to show another language.
        foreach (var (id, place) in Seed.Documents.Select(d => (d.Id, d.SignedAt)).Concat(Seed.Bodies.Select(b => (b.Id, b.Seat))).Concat(Seed.Meetings.Select(m => (m.Id, m.Place))))
            if (place is not null) Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(place[l]), $"{id}: its place has no {l} name"));
        foreach (var c in Seed.Commitments)
        {
            foreach (var text in new[] { c.Rubric?.Minus, c.Rubric?.Zero, c.Rubric?.Plus, c.Target, c.Note }.OfType<LocalizedText>())
                Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(text[l]), $"commitment {c.Id}: a rubric or target has no {l} text"));
            foreach (var a in c.Assessments)
                Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(a.Evidence[l]), $"commitment {c.Id}: {a.State}'s evidence has no {l} text"));
        }
    }

    /// <summary>Every localised text of the dataset (not the sources' own titles), and whether it is a name a source gives.</summary>
    private static List<(string Path, string Language, string Text, bool Sourced)> AllTexts()
    {
        var json = JsonDocument.Parse(File.ReadAllBytes(SeedDataTests.SeedPath)).RootElement;
        var found = new List<(string, string, string, bool)>();
        void Walk(JsonElement e, string path, IReadOnlyCollection<string> sourcedLanguages, bool nameField)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                var props = e.EnumerateObject().ToList();
                if (props.Count > 0 && props.All(p => Languages.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.String))
                {
                    foreach (var p in props) found.Add(($"{path}.{p.Name}", p.Name, p.Value.GetString()!, nameField && sourcedLanguages.Contains(p.Name)));
                    return;
                }
                var translated = e.TryGetProperty("translated", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : null;
                var sourced = translated is null ? sourcedLanguages : Languages.Except(translated).ToList();
                foreach (var p in props)
                    if (!(path == "$" && p.Name == "sources"))
                        Walk(p.Value, $"{path}.{p.Name}", sourced, p.Name is "name" or "title" or "shortName");
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var x in e.EnumerateArray()) Walk(x, $"{path}[{i++}]", sourcedLanguages, false);
            }
        }
        Walk(json, "$", [], false);
        return found;
    }

    [GeneratedRegex(@"\bat least\b", RegexOptions.IgnoreCase)] private static partial Regex AtLeast();
    [GeneratedRegex(@"\s*[（(][^()（）]*(descriptive|not found|not given|field only)[^()（）]*[)）]|\s*—\s*descriptive.*$")] private static partial Regex BracketedRemark();
}
