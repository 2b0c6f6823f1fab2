using Caravan.Features.Sources;
using Caravan.Shared;

namespace Caravan.Web.Features.Shared;

/// <summary>
/// A source as the API shows it beside every fact; <c>Date</c>: the date it bears (partial ISO), when recorded.
/// </summary>
public sealed record SourceDto(string Id, string? Url, string Title, string Language, Confidence Confidence,
    string? Date = null)
{
    public static IReadOnlyList<SourceDto> From(IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> cited,
        string subjectId) =>
        cited.TryGetValue(subjectId, out var list) ? list.Select(From).ToList() : [];

    public static SourceDto From(CitedSource s) => new(s.Id, s.Url, s.Title, s.Language, s.Confidence, s.Date);
}

public static class ApiDates
{
    /// <summary>Partial ISO dates ("2025", "2025-07", "2025-07-21"); null means not known.</summary>
    public static string? Iso(PartialDate? date) => date?.ToIso();
}
