using System.Text.RegularExpressions;
using Caravan.Features.Sources;
using Caravan.Features.Seed;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Seed
{
    public sealed partial record SeedDataset
    {
        /// <summary>The sources every fact cites, by id (<see cref="SourcesSeedSection"/>).</summary>
        public Dictionary<string, SeedSource> Sources { get; init; } = [];
    }
}

namespace Caravan.Features.Sources
{
    public sealed record SeedSource(string? Url, string Title, string Language);

    /// <summary>The <c>sources</c> section: first, as every other section cites them.</summary>
    public sealed partial class SourcesSeedSection : SeedSection
    {
        public override string Property => "sources";
        public override int Order => 0;

        public override void Validate(SeedValidation v)
        {
            foreach (var (id, source) in v.Dataset.Sources)
            {
                var at = $"$.sources.{id}";
                if (!SourceId().IsMatch(id))
                    v.Fail(at, $"source id '{id}' may hold only lower-case letters, digits, '_' and '-'");
                if (string.IsNullOrWhiteSpace(source.Title)) v.Fail($"{at}.title", "a source needs a title");
                if (source.Url is not null
                    && !(Uri.TryCreate(source.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                    v.Fail($"{at}.url", $"'{source.Url}' is not an http(s) address");
                if (source.Language is null || !SeedValidation.LanguageCode().IsMatch(source.Language))
                    v.Fail($"{at}.language", $"'{source.Language}' is not an ISO 639-1 language code");
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var db = import.Db;
            var existing = await db.Sources.ToDictionaryAsync(s => s.Id, ct);
            foreach (var (id, s) in import.Dataset.Sources)
            {
                if (!existing.TryGetValue(id, out var source))
                {
                    source = new Source { Id = id, Title = s.Title, Language = s.Language };
                    db.Sources.Add(source);
                }
                source.Url = s.Url;
                source.Title = s.Title;
                source.Language = s.Language;
            }
        }

        [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")] private static partial Regex SourceId();
    }
}
