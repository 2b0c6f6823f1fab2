using Caravan.Shared;

namespace Caravan.Features.Seed;

/// <summary>
/// Everything a seed file must satisfy before a single row is written: ids, references, dates, codes,
/// and a source behind every fact. The dataset's own fields are checked here, each section's rows by the
/// section its feature owns (<see cref="SeedSections"/>), in their order. Returns problems with their JSON
/// path; the caller adds line numbers.
/// </summary>
public static class SeedValidator
{
    public static IReadOnlyList<SeedProblem> Validate(SeedDataset d)
    {
        var v = new SeedValidation(d);
        if (string.IsNullOrWhiteSpace(d.Dataset) || !SeedValidation.Slug().IsMatch(d.Dataset))
            v.Fail("$.dataset", "the dataset name must be a slug such as 'cca-mechanism'");
        if (d.Version < 1) v.Fail("$.version", "the version must be a whole number from 1 up");
        if (d.AsOf is not null && !PartialDate.TryParse(d.AsOf, out _))
            v.Fail("$.asOf", $"'{d.AsOf}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
        foreach (var section in SeedSections.All) section.Validate(v);
        return v.Problems;
    }
}
