using Caravan.Features.Sources;
using Caravan.Features.Submissions;
using Caravan.Tests.Support;

namespace Caravan.Tests.Unit;

/// <summary>"A new or changed fact needs a source", and how a proposal's sources are checked: no database.</summary>
public sealed class ProposedSourcesRuleTests
{
    private static readonly RecordKind Figures = RecordKind.Named("indicator-values")!;
    private static readonly Dictionary<string, string?> Published = new() { ["value"] = "40.1", ["qualifier"] = "exact", ["note.en"] = null };
    private static readonly ProposedSource Web = new(null, "https://stat.gov.kz/a", "Bulletin", "2024-03", "en", Confidence.High);

    private static Dictionary<string, string?> With(string field, string? value) => new(Published) { [field] = value };

    [Fact]
    public void A_changed_figure_without_sources_is_refused_on_the_sources_field()
    {
        var error = ProposedSources.Missing(Figures, false, Published, With("value", "41.03"), null);
        Assert.NotNull(error);
        Assert.Equal(("sources", "sources.required", "value"), (error.Field, error.Message.Code.Key, error.Message.Detail()));
        Assert.NotNull(ProposedSources.Missing(Figures, false, Published, With("qualifier", "about"), []));
    }

    [Fact]
    public void A_changed_figure_with_its_own_source_passes()
    {
        Assert.Null(ProposedSources.Missing(Figures, false, Published, With("value", "41.03"), [Web]));
    }

    [Fact]
    public void A_note_is_not_a_fact_and_an_unchanged_figure_needs_no_new_source()
    {
        Assert.Null(ProposedSources.Missing(Figures, false, Published, With("note.en", "Customs figure."), null));
        Assert.Null(ProposedSources.Missing(Figures, false, Published, Published, null));
    }

    [Fact]
    public void A_new_record_needs_a_source_for_every_fact_it_states()
    {
        var error = ProposedSources.Missing(Figures, true, new Dictionary<string, string?> { ["qualifier"] = "exact" }, With("value", "3.6"), null);
        Assert.Equal("value, qualifier", error?.Message.Detail());
    }

    [Theory]
    [InlineData("documents", "signed-on", true)]
    [InlineData("documents", "summary.en", false)]
    [InlineData("documents", "note.ru", false)]
    [InlineData("bodies", "seat.zh", true)]
    [InlineData("ratification-steps", "on", true)]
    [InlineData("ratification-steps", "evidence-url", false)]
    [InlineData("assessments", "score", true)]
    [InlineData("assessments", "evidence.en", true)]
    [InlineData("assessments", "assessed-on", false)]
    [InlineData("programme-entries", "quantity", true)]
    [InlineData("programme-entries", "override-reason", false)]
    [InlineData("programmes", "body", true)]
    [InlineData("partnerships", "agreed-on", true)]
    [InlineData("partnerships", "source-url", false)]
    [InlineData("milestones", "due", true)]
    [InlineData("milestones", "achieved-on", true)]
    [InlineData("milestones", "cancelled", true)]
    [InlineData("milestones", "title.zh", true)]
    [InlineData("milestones", "evidence-url", false)]
    [InlineData("milestones", "note.en", false)]
    public void Each_kind_says_which_of_its_fields_state_facts(string kind, string field, bool fact)
    {
        var k = RecordKind.Named(kind)!;
        Assert.Equal(fact, k.IsFact(k.Fields.Single(f => f.Name == field)));
    }

    [Fact]
    public void Every_kind_is_cited_under_its_own_subject_type()
    {
        Assert.Equal(RecordKind.All.Count, RecordKind.All.Select(k => k.CitedAs).Distinct().Count());
        Assert.Equal(SubjectTypes.Assessment, RecordKind.Named("assessments")!.CitedAs);
    }

    [Fact]
    public void Each_part_of_a_web_source_is_checked_and_named()
    {
        var (sources, errors) = ProposedSources.Normalise([new SourceInput(Url: "ftp://x", Title: " ", Date: "June", Language: "fr", Confidence: "certain")]);
        Assert.Equal(["sources[0].confidence", "sources[0].date", "sources[0].language", "sources[0].title", "sources[0].url"], errors.Select(e => e.Field).Order());
        Assert.Single(sources!);
    }

    [Fact]
    public void A_good_source_is_normalised_blank_rows_are_dropped_and_not_given_is_not_empty()
    {
        var (sources, errors) = ProposedSources.Normalise([new SourceInput(), new SourceInput(Url: " https://stat.gov.kz/a ", Title: "Bulletin", Date: "2024-03", Language: "en", Confidence: " medium ")]);
        Assert.Empty(errors);
        var s = Assert.Single(sources!);
        Assert.Equal(("https://stat.gov.kz/a", "2024-03", Confidence.Medium), (s.Url, s.Date, s.Confidence));
        Assert.Null(ProposedSources.Normalise(null).Sources);
    }

    [Fact]
    public void A_registered_source_is_cited_by_id_and_the_same_source_twice_is_refused()
    {
        var (sources, errors) = ProposedSources.Normalise([new SourceInput(Source: "gedf_decl", Confidence: "high"), new SourceInput(Source: "gedf_decl", Confidence: "low")]);
        Assert.Equal("gedf_decl", sources![0].Source);
        Assert.Equal(["sources"], errors.Select(e => e.Field));
        Assert.Equal("sources.duplicate", errors[0].Message.Code.Key);
    }

    [Fact]
    public void An_uploaded_document_must_be_a_pdf_within_the_limit_and_stands_for_the_address()
    {
        var pdf = "%PDF-1.7 minimal"u8.ToArray();
        var (sources, errors) = ProposedSources.Normalise([new SourceInput(Title: "Letter", Date: "2024", Language: "ru", Confidence: "high", File: new UploadedFile("letter.pdf", pdf))]);
        Assert.Empty(errors);
        Assert.Equal(SourceFile.UrlOf(SourceFile.IdOf(pdf)), sources![0].Url);
        Assert.Equal("sources.file-type", SourceFile.Problem("<html>"u8.ToArray())?.Key);
        Assert.Equal("sources.file-empty", SourceFile.Problem([])?.Key);
        Assert.Equal("sources.file-too-large", SourceFile.Problem([.. "%PDF-"u8, .. new byte[SourceFile.MaxBytes]])?.Key);
        var (_, bad) = ProposedSources.Normalise([new SourceInput(Title: "Letter", Date: "2024", Language: "ru", Confidence: "high", File: new UploadedFile("x.pdf", "MZ"u8.ToArray()))]);
        Assert.Equal(["sources[0].file"], bad.Select(e => e.Field));
    }

    [Fact]
    public void A_web_source_gets_a_stable_id_from_what_it_is()
    {
        Assert.Equal(ProposedSources.IdOf(Web), ProposedSources.IdOf(Web with { Confidence = Confidence.Low }));
        Assert.NotEqual(ProposedSources.IdOf(Web), ProposedSources.IdOf(Web with { Date = "2024-04" }));
        Assert.Matches("^p-[0-9a-f]{16}$", ProposedSources.IdOf(Web));
    }
}
