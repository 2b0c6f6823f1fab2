using Caravan.Data;

namespace Caravan.Features.Seed;

/// <summary>
/// A part of the seed dataset that a feature owns (docs/decisions/0013-seed-sections-owned-by-features.md): the
/// rows it reads (its property of <see cref="SeedDataset"/>, declared by the feature beside this class), what
/// they must satisfy, and how they are written. Sections are found in the assembly, so a feature adds one
/// without editing anything in <c>Features/Seed</c>.
/// </summary>
public abstract class SeedSection
{
    /// <summary>
    /// The data file's top-level property it reads, or null when its rows sit inside another section's.
    /// </summary>
    public abstract string? Property { get; }

    /// <summary>
    /// When it is validated and imported: after every section whose ids it refers to (validation refuses to run
    /// otherwise). The order of the imports is also the order in which kept rows are reported.
    /// </summary>
    public abstract int Order { get; }

    /// <summary>The entities it writes, with the type their citations are filed under (null: not cited).</summary>
    public virtual IEnumerable<SeededEntity> Entities => [];

    /// <summary>The kinds of its records that a later version of the dataset may retract (ADR 0007).</summary>
    public virtual IEnumerable<SeedRetractable> Retractables => [];

    /// <summary>Checks its rows, declaring its ids first so that later sections can refer to them.</summary>
    public abstract void Validate(SeedValidation v);

    /// <summary>
    /// Upserts its rows through <paramref name="import"/>, which keeps rows changed outside the seed (ADR 0008).
    /// </summary>
    public abstract Task ImportAsync(SeedImport import, CancellationToken ct);
}

/// <summary>An entity a section writes, and the subject type of its citations (null: it has none).</summary>
public sealed record SeededEntity(Type Type, string? CitedAs);

/// <summary>
/// A kind of record the dataset may retract: the ids the dataset lists of it (a retracted record is listed nowhere
/// else), and how to find a stored one with what goes with it.
/// </summary>
public sealed record SeedRetractable(string Kind, Func<SeedDataset, IEnumerable<string>> Listed,
    Func<CaravanDbContext, string, CancellationToken, Task<RetractedRecord?>> FindAsync);

/// <summary>A stored record to retract.</summary>
/// <param name="Rows">
/// What is deleted with it, in order (a commitment's scores before the commitment); their trails and citations are
/// found by their type, as <see cref="SeedSection.Entities"/> declares it.
/// </param>
/// <param name="Linked">A link made through the workflow points at it, so it is held whatever its trail says.</param>
public sealed record RetractedRecord(IReadOnlyList<object> Rows, bool Linked = false);

/// <summary>Every section in the assembly, in their order.</summary>
public static class SeedSections
{
    public static IReadOnlyList<SeedSection> All { get; } = [.. typeof(SeedSection).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(SeedSection)) && !t.IsAbstract)
        .Select(t => (SeedSection)Activator.CreateInstance(t)!)
        .OrderBy(s => s.Order)];

    /// <summary>The kinds of record a retraction may name, in the sections' order.</summary>
    public static IReadOnlyList<SeedRetractable> Retractables { get; } = [.. All.SelectMany(s => s.Retractables)];
}
