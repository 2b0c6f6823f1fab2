using System.Reflection;
using System.Text.Json;
using Caravan.Features.Seed;

namespace Caravan.Tests.Unit;

/// <summary>
/// The seed sections the features declare (ADR 0013) cover the data file between them: every list of the dataset
/// is read by one section, each in its own place in the order, and each entity is written by one section.
/// </summary>
public sealed class SeedSectionsTests
{
    [Fact]
    public void Every_list_of_the_dataset_is_read_by_exactly_one_section()
    {
        var own = new[] { "dataset", "version", "asOf" };
        var properties = typeof(SeedDataset).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Except(own).Order().ToList();
        var read = SeedSections.All.Select(s => s.Property).OfType<string>().Order().ToList();
        Assert.Equal(properties, read);
    }

    [Fact]
    public void Sections_have_distinct_places_and_write_distinct_entities()
    {
        Assert.Equal(SeedSections.All.Count, SeedSections.All.Select(s => s.Order).Distinct().Count());
        Assert.Equal(SeedSections.All.Select(s => s.Order).Order(), SeedSections.All.Select(s => s.Order));
        var entities = SeedSections.All.SelectMany(s => s.Entities).Select(e => e.Type).ToList();
        Assert.Equal(entities.Count, entities.Distinct().Count());
        Assert.Equal([SeedRetractions.Commitment, SeedRetractions.Assessment, Caravan.Features.Commitments.Milestone.RetractionKind, SeedRetractions.Partnership],
            SeedSections.Retractables.Select(r => r.Kind));
    }

    [Fact]
    public void A_section_that_refers_to_a_later_one_is_refused_as_a_programming_error()
    {
        var v = new SeedValidation(new SeedDataset { Dataset = "cca-mechanism", Version = 1 });
        Assert.Throws<InvalidOperationException>(() => v.IdsOf<Caravan.Features.Mechanism.MeetingsSeedSection>());
        new Caravan.Features.Mechanism.MemberStatesSeedSection().Validate(v);
        new Caravan.Features.Mechanism.BodiesSeedSection().Validate(v);
        new Caravan.Features.Mechanism.MeetingsSeedSection().Validate(v);
        Assert.Empty(v.IdsOf<Caravan.Features.Mechanism.MeetingsSeedSection>());
    }
}
