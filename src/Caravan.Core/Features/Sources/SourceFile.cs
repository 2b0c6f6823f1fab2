using System.Security.Cryptography;
using Caravan.Features.Audit;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Sources;

/// <summary>
/// A document uploaded as a figure's source (a ministry's PDF that is not on the web): kept in the database,
/// one row per distinct file (its SHA-256 is its id), served at <see cref="UrlOf"/> as a download.
/// </summary>
public sealed class SourceFile : Shared.IContentAddressed
{
    public required string Id { get; set; }
    public required string FileName { get; set; }
    public required string MediaType { get; set; }
    public long Size { get; set; }
    /// <summary>Not a secret, but a file: its SHA-256 (the id) and size are in the same audit entry.</summary>
    [RedactedInAudit]
    public required byte[] Content { get; set; }
    public DateTimeOffset AddedAt { get; set; }

    /// <summary>10 MB: an official document, not an archive.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;
    public const string Pdf = "application/pdf";

    /// <summary>
    /// The request size a form or API call carrying sources may reach: a file at the limit, as base64 in JSON
    /// (4/3 of its size), and room for the rest. Above the site's general 1 MB, so that the 10 MB check answers.
    /// </summary>
    public const long MaxRequestBytes = MaxBytes / 3 * 4 + 1024 * 1024;

    public Task<bool> IsStoredAsync(Data.CaravanDbContext db, CancellationToken ct)
        => db.SourceFiles.AnyAsync(f => f.Id == Id, ct);

    public static string UrlOf(string id) => $"/sources/files/{id}";

    /// <summary>
    /// Whether an address is one Caravan serves a stored upload at (<c>/sources/files/</c> and 64 hex digits).
    /// </summary>
    public static bool IsStoredAddress(string url) =>
        url.Length == UrlOf("").Length + 64 && url.StartsWith(UrlOf(""), StringComparison.Ordinal)
            && url[UrlOf("").Length..].All(char.IsAsciiHexDigitLower);

    public static string IdOf(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>
    /// What is wrong with an upload, or null. The type is read from the bytes, not from the name or the
    /// browser's claim: only PDF, the form official documents are published in.
    /// </summary>
    public static MessageCode? Problem(byte[] content) =>
        content.Length == 0 ? SourceMessages.FileEmpty
        : content.Length > MaxBytes ? SourceMessages.FileTooLarge
        : !content.AsSpan().StartsWith("%PDF-"u8) ? SourceMessages.FileType
        : null;
}

/// <summary>Why a proposed source or an uploaded document is refused.</summary>
public static class SourceMessages
{
    public static readonly MessageCode Duplicate = new("sources.duplicate");
    public static readonly MessageCode FileEmpty = new("sources.file-empty");
    public static readonly MessageCode FileTooLarge = new("sources.file-too-large");
    public static readonly MessageCode FileType = new("sources.file-type");
    public static readonly MessageCode Required = new("sources.required");
    public static readonly MessageCode TooMany = new("sources.too-many");
    public static readonly MessageCode Unknown = new("sources.unknown");
}
