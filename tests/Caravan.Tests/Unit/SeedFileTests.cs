using System.Text;
using Caravan.Features.Seed;

namespace Caravan.Tests.Unit;

/// <summary>A seed file is refused whole, with file, line and reason, before anything is written.</summary>
public sealed class SeedFileTests
{
    private const string Valid = """
        {
          "dataset": "cca-mechanism",
          "version": 3,
          "sources": { "xinhua": { "url": "https://example.org/a", "title": "Xinhua", "language": "zh" } },
          "memberStates": [
            { "id": "KZ", "order": 2, "name": { "en": "Republic of Kazakhstan" }, "shortName": { "en": "Kazakhstan" }, "currency": "KZT",
              "citations": [ { "source": "xinhua", "confidence": "high" } ] }
          ],
          "bodies": [
            { "id": "summit", "kind": "summit", "name": { "en": "Summit" }, "status": "operational",
              "citations": [ { "source": "xinhua", "confidence": "high" } ] }
          ],
          "meetings": [
            { "id": "summit-2025-astana", "body": "summit", "number": 2, "name": { "en": "Second summit" }, "date": "2025-06-17", "host": "KZ", "status": "held",
              "citations": [ { "source": "xinhua", "confidence": "high" } ] }
          ]
        }
        """;

    private static LoadedSeed Parse(string json) => SeedFile.Parse(Encoding.UTF8.GetBytes(json), "seed.json");

    [Fact]
    public void Reads_a_valid_file_with_its_version_and_hash()
    {
        var seed = Parse(Valid);
        Assert.Equal(3, seed.Dataset.Version);
        Assert.Equal(64, seed.Sha256.Length);
        Assert.Equal(seed.Sha256, Parse(Valid).Sha256);
    }

    [Fact]
    public void Names_the_line_and_reason_of_an_unknown_reference()
    {
        var e = Assert.Throws<SeedFileException>(() => Parse(Valid.Replace("\"body\": \"summit\"", "\"body\": \"council\"")));
        var problem = Assert.Single(e.Problems);
        Assert.Equal(14, problem.Line);
        Assert.Equal("$.meetings[0].body", problem.Path);
        Assert.Contains("unknown body 'council'", problem.Reason);
        Assert.Contains("seed.json:14:", e.Message);
    }

    private static string WithRetraction(string retraction) =>
        Valid.Replace("\n  \"meetings\": [", $"\n  \"retractions\": [ {retraction} ],\n  \"meetings\": [");

    private const string Reason = "\"reason\": { \"en\": \"Unsupported.\", \"zh\": \"缺乏依据。\", \"ru\": \"Не подтверждено.\" }, \"citations\": [ { \"source\": \"xinhua\", \"confidence\": \"high\" } ]";

    [Fact]
    public void Reads_a_retraction_of_a_record_no_list_holds()
    {
        var seed = Parse(WithRetraction($$"""{ "kind": "assessment", "id": "secretariat-2023:KZ:xian-to-astana", "version": 3, {{Reason}} }"""));
        var r = Assert.Single(seed.Dataset.Retractions);
        Assert.Equal(("assessment", "secretariat-2023:KZ:xian-to-astana", 3, "缺乏依据。"), (r.Kind, r.Id, r.Version, r.Reason.Zh));
    }

    [Theory]
    [InlineData("\"kind\": \"meeting\", \"id\": \"summit-2025-astana\", \"version\": 3", "kind", "is not one of commitment, assessment, milestone, partnership")]
    [InlineData("\"kind\": \"assessment\", \"id\": \"secretariat-2023-KZ\", \"version\": 3", "id", "is not an assessment id")]
    [InlineData("\"kind\": \"commitment\", \"id\": \"visa\", \"version\": 4", "version", "from 2 to this file's version (3)")]
    public void Refuses_a_retraction_of_an_unknown_kind_a_malformed_id_or_a_future_version(string head, string field, string reason)
    {
        var e = Assert.Throws<SeedFileException>(() => Parse(WithRetraction($"{{ {head}, {Reason} }}")));
        var problem = Assert.Single(e.Problems);
        Assert.Equal($"$.retractions[0].{field}", problem.Path);
        Assert.Contains(reason, problem.Reason);
    }

    [Fact]
    public void Refuses_a_retraction_without_a_reason_in_each_language_or_a_source()
    {
        var e = Assert.Throws<SeedFileException>(() => Parse(WithRetraction("""{ "kind": "commitment", "id": "visa", "version": 3, "reason": { "en": "Unsupported." }, "citations": [] }""")));
        Assert.Equal(["$.retractions[0].citations", "$.retractions[0].reason"], e.Problems.Select(p => p.Path).Order());
    }

    [Fact]
    public void Refuses_a_retraction_of_a_record_the_file_still_lists_and_a_second_retraction_of_the_same_record()
    {
        var v6 = SeedFile.Load(Caravan.Tests.Integration.SeedDataTests.SeedPath).Dataset;
        Assert.Empty(SeedValidator.Validate(v6));
        var listed = v6 with { Retractions = [.. v6.Retractions, v6.Retractions[0] with { Kind = "commitment", Id = "secretariat-2023" }, v6.Retractions[1]] };
        var problems = SeedValidator.Validate(listed);
        Assert.Contains(problems, p => p.Path == $"$.retractions[{v6.Retractions.Count}].id" && p.Reason.Contains("is still listed in this version"));
        Assert.Contains(problems, p => p.Path == $"$.retractions[{v6.Retractions.Count + 1}].id" && p.Reason.Contains("is retracted twice"));
        var score = v6 with { Retractions = [v6.Retractions[0] with { Kind = "assessment", Id = "secretariat-2023:CN:xian-to-astana" }] };
        Assert.Contains(SeedValidator.Validate(score), p => p.Path == "$.retractions[0].id" && p.Reason.Contains("is still listed"));
    }

    [Fact]
    public void Names_the_line_of_a_syntax_error()
    {
        var e = Assert.Throws<SeedFileException>(() => Parse(Valid.Replace("\"version\": 3,", "\"version\": 3,,")));
        Assert.Equal(3, Assert.Single(e.Problems).Line);
    }

    [Fact]
    public void Refuses_a_misspelt_field_rather_than_dropping_a_fact()
    {
        var e = Assert.Throws<SeedFileException>(() => Parse(Valid.Replace("\"currency\"", "\"curency\"")));
        Assert.Contains("curency", Assert.Single(e.Problems).Reason);
    }

    [Theory]
    [InlineData("\"date\": \"2025-06-17\"", "\"date\": \"17 June 2025\"", "$.meetings[0].date")]
    [InlineData("\"confidence\": \"high\" } ] }\n  ],\n  \"bodies\"", "\"confidence\": \"certain\" } ] }\n  ],\n  \"bodies\"", "$.memberStates[0].citations[0].confidence")]
    [InlineData("\"kind\": \"summit\"", "\"kind\": \"club\"", "$.bodies[0].kind")]
    [InlineData("\"id\": \"KZ\"", "\"id\": \"RU\"", "$.memberStates[0].id")]
    [InlineData("\"source\": \"xinhua\", \"confidence\": \"high\" } ] }\n  ],\n  \"meetings\"", "\"source\": \"tass\", \"confidence\": \"high\" } ] }\n  ],\n  \"meetings\"", "$.bodies[0].citations[0].source")]
    public void Names_the_field_of_each_invalid_value(string from, string to, string path)
    {
        var json = Valid.ReplaceLineEndings("\n");
        Assert.Contains(from, json);
        var e = Assert.Throws<SeedFileException>(() => Parse(json.Replace(from, to)));
        Assert.Contains(e.Problems, p => p.Path == path);
    }

    [Fact]
    public void Requires_a_source_behind_every_fact()
    {
        var json = Valid.ReplaceLineEndings("\n").Replace(",\n      \"citations\": [ { \"source\": \"xinhua\", \"confidence\": \"high\" } ] }\n  ],\n  \"meetings\"", " }\n  ],\n  \"meetings\"");
        var e = Assert.Throws<SeedFileException>(() => Parse(json));
        Assert.Contains(e.Problems, p => p.Path == "$.bodies[0].citations" && p.Reason.Contains("source", StringComparison.Ordinal));
    }

    /// <summary>The valid file with a document and a commitment taken from it (the parts the rules below look at).</summary>
    private static string WithCommitment(string signedOn = "2025-06-17", string commitmentParties = "\"KZ\"", string? commitmentNote = null,
        string documentScope = "multilateral", string documentParties = "\"KZ\"", string? documentNote = null) =>
        Valid.ReplaceLineEndings("\n").TrimEnd().TrimEnd('}').TrimEnd() + $$"""
          ,
          "documents": [
            { "id": "doc", "kind": "other", "scope": "{{documentScope}}", "parties": [{{documentParties}}], "signedOn": "{{signedOn}}", "title": { "en": "A document" },
              {{(documentNote is null ? "" : $"\"note\": {{ \"en\": \"{documentNote}\" }},")}}
              "citations": [ { "source": "xinhua", "confidence": "high" } ] }
          ],
          "reportingPeriods": [ { "id": "astana-to-2027", "order": 1, "name": { "en": "Astana to 2027" }, "from": "2025-06-17" } ],
          "commitments": [
            { "id": "c", "text": { "en": "Do it." }, "summary": true, "document": "doc", "parties": [{{commitmentParties}}], "kind": "policy", "firstPeriod": "astana-to-2027",
              {{(commitmentNote is null ? "" : $"\"note\": {{ \"en\": \"{commitmentNote}\" }},")}}
              "citations": [ { "source": "xinhua", "confidence": "high" } ] }
          ]
        }
        """;

    [Fact]
    public void Refuses_a_commitment_whose_document_predates_its_first_period()
    {
        Assert.True(Parse(WithCommitment()).Dataset.Commitments.Single().Summary);
        var e = Assert.Throws<SeedFileException>(() => Parse(WithCommitment(signedOn: "2023-05-17")));
        Assert.Contains(e.Problems, p => p.Path == "$.commitments[0].firstPeriod" && p.Reason.Contains("before the period", StringComparison.Ordinal));
    }

    [Fact]
    public void Leaves_unknown_parties_unknown_only_when_the_note_says_so()
    {
        Assert.Contains(Assert.Throws<SeedFileException>(() => Parse(WithCommitment(commitmentParties: ""))).Problems, p => p.Path == "$.commitments[0].parties");
        Assert.Empty(Parse(WithCommitment(commitmentParties: "", commitmentNote: "The sources do not list the parties.")).Dataset.Commitments.Single().Parties);
        Assert.Contains(Assert.Throws<SeedFileException>(() => Parse(WithCommitment(documentScope: "bilateral"))).Problems, p => p.Path == "$.documents[0].parties");
        Assert.Single(Parse(WithCommitment(documentScope: "bilateral", documentNote: "The other party is not known.")).Dataset.Documents.Single().Parties);
    }

    [Fact]
    public void Refuses_text_that_is_not_utf8() =>
        Assert.Contains("UTF-8", Assert.Throws<SeedFileException>(() => SeedFile.Parse([0x7B, 0xFF, 0xFE, 0x7D], "seed.json")).Message);

    [Fact]
    public void The_shipped_dataset_is_valid()
    {
        var seed = SeedFile.Load(Integration.SeedDataTests.SeedPath);
        Assert.Equal("cca-mechanism", seed.Dataset.Dataset);
        Assert.All(seed.Dataset.Documents, d => Assert.False(string.IsNullOrWhiteSpace(d.Title.En) || string.IsNullOrWhiteSpace(d.Title.Zh) || string.IsNullOrWhiteSpace(d.Title.Ru)));
    }
}

public sealed class SeedEnumsTests
{
    [Fact]
    public void Reads_and_writes_kebab_case()
    {
        Assert.Equal(Caravan.Features.Mechanism.BodyKind.MinisterialPlatform, SeedEnums.Parse<Caravan.Features.Mechanism.BodyKind>("ministerial-platform"));
        Assert.Equal("list-of-outcomes", SeedEnums.ToKebab(Caravan.Features.Documents.DocumentKind.ListOfOutcomes));
        Assert.False(SeedEnums.TryParse<Caravan.Features.Mechanism.BodyKind>("1", out _));
        Assert.False(SeedEnums.TryParse<Caravan.Features.Mechanism.BodyKind>("MinisterialPlatform", out _));
    }
}
