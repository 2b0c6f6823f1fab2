using Caravan.Data;
using Caravan.Features.Audit;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Documents;

/// <summary>
/// One language version of a document's text, split into numbered provisions. Importing a text again makes a
/// new version; earlier versions are kept. <see cref="Partial"/>: only passages quoted by a source.
/// </summary>
public sealed class DocumentText
{
    /// <summary><c>{document}:{language}:{version}</c>.</summary>
    public required string Id { get; set; }
    public required string DocumentId { get; set; }
    /// <summary>zh, ru, en, or a member state's language (kk, ky, tg, tk, uz).</summary>
    public required string Language { get; set; }
    public int Version { get; set; }
    /// <summary>An authentic text (as the document says), not a translation.</summary>
    public bool Authentic { get; set; }
    public bool Partial { get; set; }
    public string? SourceId { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public required string ImportedBy { get; set; }
    /// <summary>SHA-256 of the text as imported, to tell versions apart and prove what was read.</summary>
    public required string Sha256 { get; set; }
    public List<Provision> Provisions { get; set; } = [];

    public static readonly IReadOnlyList<string> Languages = ["zh", "ru", "en", "kk", "ky", "tg", "tk", "uz"];
}

/// <summary>
/// A numbered provision in one language: numbers align the languages ("3.2" is the same clause in each).
/// </summary>
public sealed class Provision
{
    public required string Id { get; set; }
    public required string TextId { get; set; }
    public required string Number { get; set; }
    public required string Label { get; set; }
    public required string Text { get; set; }
    public int Order { get; set; }
}

/// <summary>Imports and reads documents' texts.</summary>
public sealed class DocumentTexts(CaravanDbContext db, TimeProvider clock)
{
    /// <summary>Splits and stores a new version, or returns the numbering problems and stores nothing.</summary>
    public async Task<(DocumentText? Text, List<NumberingProblem> Problems, MessageCode? Error)> ImportAsync(
        string documentId, string language, string text, bool authentic, bool partial, string? sourceId,
        AuditActor actor, CancellationToken ct)
    {
        if (!await db.Documents.AnyAsync(d => d.Id == documentId, ct))
            return (null, [], Submissions.RecordMessages.NotFound);
        if (!DocumentText.Languages.Contains(language)) return (null, [], TextMessages.Language);
        if (sourceId is not null && !await db.Sources.AnyAsync(s => s.Id == sourceId, ct))
            return (null, [], TextMessages.UnknownSource);
        var (parsed, problems) = ProvisionParser.Parse(text);
        if (problems.Count > 0) return (null, problems, null);
        var version = (
            await db.DocumentTexts.Where(t => t.DocumentId == documentId && t.Language == language)
                .MaxAsync(t => (int?)t.Version, ct) ?? 0) + 1;
        var id = $"{documentId}:{language}:{version}";
        var stored = new DocumentText
        {
            Id = id, DocumentId = documentId, Language = language, Version = version, Authentic = authentic,
            Partial = partial, SourceId = sourceId, ImportedAt = clock.GetUtcNow(), ImportedBy = actor.Actor,
            Sha256 = Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))),
            Provisions = [
                .. parsed.Select(
                    (p, i) => new Provision { Id = $"{id}:{p.Number}", TextId = id, Number = p.Number, Label = p.Label,
                        Text = p.Text, Order = i })],
        };
        db.DocumentTexts.Add(stored);
        db.Actor = actor;
        await db.SaveChangesAsync(ct);
        return (stored, [], null);
    }

    /// <summary>The latest version of each language's text (or the given version), with provisions in order.</summary>
    public async Task<List<DocumentText>> LatestAsync(string documentId, CancellationToken ct)
    {
        var all = await db.DocumentTexts.AsNoTracking().Include(t => t.Provisions)
            .Where(t => t.DocumentId == documentId)
            .ToListAsync(ct);
        return [.. all.GroupBy(t => t.Language).Select(g => g.MaxBy(t => t.Version)!).OrderBy(t => Order(t.Language))
            .Select(t => { t.Provisions = [.. t.Provisions.OrderBy(p => p.Order)]; return t; })];
    }

    public async Task<List<DocumentText>> VersionsAsync(string documentId, CancellationToken ct) =>
        [.. (await db.DocumentTexts.AsNoTracking().Where(t => t.DocumentId == documentId).ToListAsync(ct))
            .OrderBy(t => Order(t.Language)).ThenBy(t => t.Version)];

    private static int Order(string language) => DocumentText.Languages.ToList().IndexOf(language);
}

/// <summary>
/// A file of a document (the signed PDF, a DOCX text), kept with its SHA-256 and size so that anyone can check a copy.
/// </summary>
public sealed class DocumentAttachment
{
    public required string Id { get; set; }
    public required string DocumentId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>Not a secret, but a file: its SHA-256 and size are in the same audit entry.</summary>
    [RedactedInAudit]
    public required byte[] Content { get; set; }
    /// <summary>The language of the file's text, if it has one.</summary>
    public string? Language { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public required string UploadedBy { get; set; }

    /// <summary>
    /// What Caravan accepts, checked by the file's first bytes and not only its name: PDF, and DOCX (a ZIP package).
    /// </summary>
    public static string? ContentTypeOf(string fileName, ReadOnlySpan<byte> head)
    {
        if (fileName.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)
            && head.StartsWith("%PDF-"u8)) return "application/pdf";
        if (fileName.EndsWith(".docx", StringComparison.OrdinalIgnoreCase) && head.StartsWith("PK\u0003\u0004"u8))
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        return null;
    }
}

/// <summary>Why a text is refused before it is parsed.</summary>
public static class TextMessages
{
    public static readonly MessageCode Language = new("text.language");
    public static readonly MessageCode UnknownSource = new("text.unknown-source");
    public static readonly MessageCode BadJson = new("text.bad-json");
    public static readonly MessageCode BadDocx = new("text.bad-docx");
    public static readonly MessageCode DocxDtd = new("text.docx-dtd");
    public static readonly MessageCode NotUtf8 = new("text.not-utf8");
    public static readonly MessageCode FileType = new("text.file-type");
}
