namespace Caravan.Tests.Support;

/// <summary>
/// Sources a test's proposal carries, as a client sends them: a new or changed fact is refused without one.
/// Web addresses only; the titles say what a real one would be.
/// </summary>
public static class Cite
{
    public const string Url = "https://stat.gov.kz/en/industries/economy/foreign-market/publications/";
    public const string Title = "Foreign trade of the Republic of Kazakhstan, annual bulletin";

    /// <summary>One web source, for the <c>sources</c> of an API request.</summary>
    public static object[] One(string url = Url, string title = Title, string date = "2025-03", string language = "en", string confidence = "high") =>
        [new { url, title, date, language, confidence }];

    /// <summary>The same for a test that calls the record editor itself.</summary>
    public static Caravan.Features.Submissions.SourceInput[] Inputs() => [new(null, Url, Title, "2025-03", "en", "high")];

    /// <summary>The same as the edit form posts it (<c>s:0:url</c>…).</summary>
    public static Dictionary<string, string> Form(string url = Url, string title = Title, string date = "2025-03", string language = "en", string confidence = "high") => new()
    {
        ["s:0:url"] = url, ["s:0:title"] = title, ["s:0:date"] = date, ["s:0:language"] = language, ["s:0:confidence"] = confidence,
    };
}
