using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Submissions;

/// <summary>
/// A source as a proposal carries it: a source already registered (by id), or a web address with its title,
/// date and language; and how far it supports the figure. Stored with the submission; on publication it
/// becomes the record's citation.
/// </summary>
public sealed record ProposedSource(string? Source, string? Url, string Title, string? Date, string Language,
    Confidence Confidence);

/// <summary>
/// A source as sent by a form or a client, before it is checked: every part a string; or, instead of a web
/// address, an uploaded document (<see cref="File"/>; in JSON its content is base64).
/// </summary>
public sealed record SourceInput(string? Source = null, string? Url = null, string? Title = null, string? Date = null,
    string? Language = null, string? Confidence = null, UploadedFile? File = null);

/// <summary>A document uploaded as a source: its name as uploaded and its bytes.</summary>
public sealed record UploadedFile(string? FileName, byte[]? Content);

/// <summary>
/// The rule that keeps Caravan's first promise through the workflow: a new or changed fact is published with
/// its own sources, never with the sources of the figure it replaces. Pure, apart from resolving ids.
/// </summary>
public static class ProposedSources
{
    /// <summary>The field name errors about the sources as a whole are reported under.</summary>
    public const string Field = "sources";
    public const int Max = 10;

    /// <summary>The languages a source may be in: the mechanism's three and the Central Asian states' own.</summary>
    public static readonly IReadOnlyList<string> Languages = ["zh", "ru", "en", "kk", "ky", "tg", "tk", "uz"];

    public static string FieldOf(int index, string part) => $"sources[{index}].{part}";

    /// <summary>
    /// Checks each source as given and returns them normalised. Empty rows (a form's blank lines) are dropped.
    /// A null input means "not given": the record keeps its sources.
    /// </summary>
    public static (List<ProposedSource>? Sources, List<FieldError> Errors) Normalise(IReadOnlyList<SourceInput>? input)
    {
        var errors = new List<FieldError>();
        if (input is null) return (null, errors);
        var result = new List<ProposedSource>();
        var rows = input.Select((s, i) => (s, i)).Where(x => !IsBlank(x.s)).ToList();
        if (rows.Count > Max)
            errors.Add(new FieldError(Field, SourceMessages.TooMany, Max.ToString(CultureInfo.InvariantCulture)));
        foreach (var (s, i) in rows)
        {
            var confidence = Trim(s.Confidence);
            Confidence level = default;
            if (confidence is null) errors.Add(new FieldError(FieldOf(i, "confidence"), FieldMessages.Required));
            else if (!SeedEnums.TryParse(confidence, out level))
                errors.Add(new FieldError(FieldOf(i, "confidence"), FieldMessages.Choice, "high, medium, low"));
            if (Trim(s.Source) is { } id)
            {
                // A registered source: its address, title and date are the register's.
                if (id.Length > 100) errors.Add(new FieldError(FieldOf(i, "source"), FieldMessages.TooLong, "100"));
                result.Add(new ProposedSource(id, null, id, null, "", level));
                continue;
            }
            var url = Trim(s.Url);
            if (s.File is { } file)
            {
                // An uploaded document stands for the web address: Caravan serves it (the address given, if any, is not
                // used).
                var content = file.Content ?? [];
                if (SourceFile.Problem(content) is { } problem) errors.Add(
                    new FieldError(FieldOf(i, "file"), problem,
                        (SourceFile.MaxBytes / 1024 / 1024).ToString(CultureInfo.InvariantCulture)));
                url = SourceFile.UrlOf(SourceFile.IdOf(content));
            }
            else if (url is null) errors.Add(new FieldError(FieldOf(i, "url"), FieldMessages.Required));
            // A document uploaded earlier (a returned proposal edited again) keeps its address; ResolveAsync checks it
            // is stored.
            else if (SourceFile.IsStoredAddress(url)) { }
            else if (url.Length > 2000) errors.Add(new FieldError(FieldOf(i, "url"), FieldMessages.TooLong, "2000"));
            else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("https" or "http")) errors.Add(
                    new FieldError(FieldOf(i, "url"), FieldMessages.Url));
            var title = Trim(s.Title);
            if (title is null) errors.Add(new FieldError(FieldOf(i, "title"), FieldMessages.Required));
            else if (title.Length > 1000)
                errors.Add(new FieldError(FieldOf(i, "title"), FieldMessages.TooLong, "1000"));
            else if (title.Any(char.IsControl))
                errors.Add(new FieldError(FieldOf(i, "title"), FieldMessages.ControlCharacters));
            var date = Trim(s.Date);
            PartialDate parsed = default;
            if (date is null) errors.Add(new FieldError(FieldOf(i, "date"), FieldMessages.Required));
            else if (!PartialDate.TryParse(date, out parsed))
                errors.Add(new FieldError(FieldOf(i, "date"), FieldMessages.Date));
            var language = Trim(s.Language);
            if (language is null) errors.Add(new FieldError(FieldOf(i, "language"), FieldMessages.Required));
            else if (!Languages.Contains(language))
                errors.Add(new FieldError(FieldOf(i, "language"), FieldMessages.Choice, string.Join(", ", Languages)));
            result.Add(
                new ProposedSource(null, url, title ?? "", date is null ? null : parsed.ToIso(), language ?? "",
                    level));
        }
        var keys = result.Select(Key).ToList();
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
            errors.Add(new FieldError(Field, SourceMessages.Duplicate));
        return (result, errors);
    }

    /// <summary>
    /// "A new or changed fact needs a source": when the record is new or one of its facts changes, the proposal
    /// must carry at least one source of its own. Sources are not carried over from the figure it replaces.
    /// </summary>
    public static FieldError? Missing(RecordKind kind, bool isNew, IReadOnlyDictionary<string, string?> published,
        IReadOnlyDictionary<string, string?> proposed, IReadOnlyList<ProposedSource>? sources)
    {
        if (sources is { Count: > 0 }) return null;
        var changed = ChangedFacts(kind, isNew, published, proposed);
        return changed.Count == 0 ? null : new FieldError(Field, SourceMessages.Required, string.Join(", ", changed));
    }

    /// <summary>The fact fields a proposal sets or changes (all that have a value, for a new record).</summary>
    public static IReadOnlyList<string> ChangedFacts(RecordKind kind, bool isNew,
        IReadOnlyDictionary<string, string?> published, IReadOnlyDictionary<string, string?> proposed) =>
        [.. kind.Fields.Where(kind.IsFact).Select(f => f.Name)
            .Where(n => isNew ? proposed.GetValueOrDefault(n) is not null : published.GetValueOrDefault(
                n) != proposed.GetValueOrDefault(n))];

    /// <summary>Fills registered sources from the register; an unknown id is an error on that row.</summary>
    public static async Task<List<FieldError>> ResolveAsync(CaravanDbContext db, List<ProposedSource>? sources,
        IReadOnlyList<SourceInput>? input, CancellationToken ct)
    {
        if (sources is null) return [];
        var errors = new List<FieldError>();
        // A stored document's address is checked; one uploaded with this very request is stored when it is accepted.
        var uploaded = (input ?? []).Select(s => s.File?.Content).OfType<byte[]>().Select(SourceFile.IdOf).ToHashSet();
        var files = sources.Where(s => s.Source is null && s.Url is not null && SourceFile.IsStoredAddress(s.Url))
            .Select(s => s.Url![SourceFile.UrlOf("").Length..])
            .Where(id => !uploaded.Contains(id)).Distinct().ToList();
        if (files.Count > 0)
        {
            var stored = await db.SourceFiles.AsNoTracking().Where(f => files.Contains(f.Id)).Select(f => f.Id)
                .ToListAsync(ct);
            for (var i = 0; i < sources.Count; i++)
                if (sources[i].Source is null && sources[i].Url is { } url && SourceFile.IsStoredAddress(url)
                    && files.Contains(url[SourceFile.UrlOf("").Length..])
                    && !stored.Contains(url[SourceFile.UrlOf("").Length..]))
                    errors.Add(new FieldError(FieldOf(i, "url"), FieldMessages.Url));
        }
        var ids = sources.Where(s => s.Source is not null).Select(s => s.Source!).Distinct().ToList();
        if (ids.Count == 0) return errors;
        var known = await db.Sources.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i].Source is not { } id) continue;
            if (known.TryGetValue(id, out var s)) sources[i] = sources[i] with { Url = s.Url, Title = s.Title,
                Language = s.Language, Date = s.PublishedOn?.ToIso() };
            else errors.Add(new FieldError(FieldOf(i, "source"), SourceMessages.Unknown, id));
        }
        return errors;
    }

    /// <summary>The record's sources as published now, in the proposal's shape (the left side of the diff).</summary>
    public static async Task<List<ProposedSource>> CurrentAsync(CaravanDbContext db, string citedAs, string id,
        CancellationToken ct) =>
        [.. (await new CitationQueries(db).ForAsync(citedAs, id, ct))
            .Select(c => new ProposedSource(c.Id, c.Url, c.Title, c.Date, c.Language, c.Confidence))];

    /// <summary>
    /// Makes <paramref name="sources"/> exactly the record's citations: a web address not yet registered becomes
    /// a source (its id derived from what it is, so the same page cited twice is one source). The caller saves.
    /// </summary>
    public static async Task ApplyAsync(CaravanDbContext db, string citedAs, string id,
        IReadOnlyList<ProposedSource> sources, CancellationToken ct)
    {
        var wanted = new Dictionary<string, Confidence>(StringComparer.Ordinal);
        foreach (var s in sources)
        {
            var sourceId = s.Source ?? IdOf(s);
            if (s.Source is null && await db.Sources.FindAsync([sourceId], ct) is null)
                db.Sources.Add(
                    new Source { Id = sourceId, Url = s.Url, Title = s.Title, Language = s.Language,
                        PublishedOn = s.Date is null ? null : PartialDate.Parse(s.Date) });
            wanted[sourceId] = s.Confidence;
        }
        var existing = await db.Citations.Where(c => c.SubjectType == citedAs && c.SubjectId == id).ToListAsync(ct);
        foreach (var c in existing)
        {
            if (wanted.Remove(c.SourceId, out var confidence)) c.Confidence = confidence;
            else db.Citations.Remove(c);
        }
        foreach (var (sourceId, confidence) in wanted)
            db.Citations.Add(
                new Citation { SubjectType = citedAs, SubjectId = id, SourceId = sourceId, Confidence = confidence });
    }

    /// <summary><c>p-</c> and 16 hex digits of the SHA-256 of the address, title, date and language.</summary>
    public static string IdOf(ProposedSource s) =>
        "p-" + Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes($"{s.Url}\n{s.Title}\n{s.Date}\n{s.Language}")))[..16];

    private static string Key(ProposedSource s) => s.Source ?? IdOf(s);

    private static bool IsBlank(SourceInput s) =>
        Trim(s.Source) is null && Trim(s.Url) is null && Trim(s.Title) is null && Trim(s.Date) is null
            && s.File is null;

    /// <summary>
    /// Keeps the uploaded documents of an accepted proposal (a refused one stores nothing): one row per
    /// distinct file. The caller saves, in the same transaction as the proposal.
    /// </summary>
    public static async Task StoreFilesAsync(CaravanDbContext db, IReadOnlyList<SourceInput>? input, DateTimeOffset now,
        CancellationToken ct)
    {
        foreach (var file in (input ?? []).Select(s => s.File).OfType<UploadedFile>())
        {
            if (file.Content is not { } content || SourceFile.Problem(content) is not null) continue;
            var id = SourceFile.IdOf(content);
            if (db.SourceFiles.Local.Any(f => f.Id == id)
                || await db.SourceFiles.AnyAsync(f => f.Id == id, ct)) continue;
            var name = Path.GetFileName(file.FileName ?? "").Trim();
            db.SourceFiles.Add(new SourceFile
            {
                Id = id, FileName = name.Length is > 0 and <= 200 ? name : "source.pdf", MediaType = SourceFile.Pdf,
                Size = content.Length, Content = content, AddedAt = now,
            });
        }
    }

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
