using Caravan.Shared;

namespace Caravan.Features.Mechanism;

/// <summary>One of the six member states, keyed by its ISO 3166-1 alpha-2 code.</summary>
public sealed class MemberState
{
    public required string Id { get; set; }
    public int Order { get; set; }
    public required LocalizedText Name { get; set; }
    public required LocalizedText ShortName { get; set; }
    /// <summary>The state's name in its own languages (kk, ky, tg, tk, uz, zh).</summary>
    public List<NativeName> NativeNames { get; set; } = [];
    public LocalizedText? Capital { get; set; }
    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; set; }
    public List<StateLanguage> Languages { get; set; } = [];
    public LocalizedText? HeadOfStateName { get; set; }
    public LocalizedText? HeadOfStateTitle { get; set; }
    public PartialDate? HeadOfStateTermStart { get; set; }
    /// <summary>When the head of state was last confirmed by a source.</summary>
    public PartialDate? HeadOfStateAsOf { get; set; }
    public List<string> Translated { get; set; } = [];

    public static readonly IReadOnlyList<string> Codes = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];

    /// <summary>Position in the mechanism's usual order (China first, then the five in order), for sorting.</summary>
    public static int OrderOf(string code)
    {
        for (var i = 0; i < Codes.Count; i++) if (Codes[i] == code) return i;
        return Codes.Count;
    }
}

public sealed record NativeName(string Language, string Name);

public sealed record StateLanguage(string Code, LocalizedText? Status);
