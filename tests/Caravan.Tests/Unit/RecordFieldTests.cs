using Caravan.Features.Submissions;

namespace Caravan.Tests.Unit;

/// <summary>Record kinds and their declared fields, without a database.</summary>
public sealed class RecordFieldTests
{
    private static IReadOnlyList<FieldError> Check(FieldKind kind, string value) =>
        RecordFields.Merge(
            [new("contact", kind)], new Dictionary<string, string?>(), new Dictionary<string, string?> { ["contact"] = value }).Errors;

    [Theory]
    [InlineData("secretariat@c5-china.org")]
    [InlineData("info@mfa.gov.kz")]
    public void An_email_address_is_kept_as_written(string address) => Assert.Empty(Check(FieldKind.EmailAddress, address));

    [Theory]
    [InlineData("secretariat")]
    [InlineData("Secretariat <secretariat@c5-china.org>")]
    [InlineData("secretariat@localhost")]
    [InlineData("https://c5-china.org/contact")]
    [InlineData("a b@c5-china.org")]
    public void Anything_but_a_bare_email_address_is_refused_on_its_field(string address) =>
        Assert.Equal(
            ("contact", FieldMessages.EmailAddress),
            Check(FieldKind.EmailAddress, address).Select(e => (e.Field, e.Message.Code)).Single());

    [Fact]
    public void Every_kind_is_found_in_its_feature_in_the_order_of_the_work_page()
    {
        Assert.Equal(
            [
                "indicator-values", "bodies", "documents", "ratification-steps", "assessments", "programme-entries", "programmes",
                "partnerships", "milestones",
            ],
            RecordKind.All.Select(k => k.Name));
        // A field is declared once: no kind lists a name twice.
        Assert.All(RecordKind.All, k => Assert.Equal(k.Fields.Count, k.Fields.Select(f => f.Name).Distinct().Count()));
    }
}
