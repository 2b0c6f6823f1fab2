using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Projects;
using Sylvan.Data.Csv;

namespace Caravan.Features.OpenData;

/// <summary>The licence and the citation a release carries (settings <c>Caravan:OpenData</c>).</summary>
public sealed record OpenDataSettings
{
    /// <summary>SPDX identifier of the compilation's licence.</summary>
    public string Licence { get; init; } = "CC-BY-4.0";
    public string LicenceTitle { get; init; } = "Creative Commons Attribution 4.0 International";
    public string LicenceUrl { get; init; } = "https://creativecommons.org/licenses/by/4.0/";
    /// <summary>Who compiles the data (the citation's author).</summary>
    public string Publisher { get; init; } = "Caravan, China–Central Asia cooperation mechanism tracker";
    /// <summary>The portal's public address, for the citation and the package's home page (empty: none).</summary>
    public string SiteUrl { get; init; } = "";

    /// <summary>The citation to use for a release.</summary>
    public string CitationOf(string version, DateTimeOffset created) =>
        $"{Publisher}. Open data release {version} ({created.UtcDateTime:yyyy-MM-dd}). Licence: {Licence}."
        + (SiteUrl.Length > 0 ? $" {SiteUrl.TrimEnd('/')}/open-data" : "");

    public string Statement =>
        $"The compilation is published under {LicenceTitle} ({Licence}, {LicenceUrl}): reuse it freely, citing it. "
        + "Each fact keeps its source (data/sources.csv, data/citations.csv); the sources' own texts remain under "
        + "their publishers' terms.";
}

/// <summary>What a release is: its id, version and date, and the snapshots it includes.</summary>
/// <param name="Id">A snapshot's id, or <c>current</c>.</param>
/// <param name="Created">When the data was taken: the snapshot's time, or the data's last change for current.</param>
public sealed record ReleaseHeader(string Id, string Version, DateTimeOffset Created, IReadOnlySet<string> SnapshotIds,
    string? PreviousId);

public sealed record TableSummary(string Name, long Rows, long Added, long Removed, long Changed);

/// <summary>Rows per table and what changed since the previous release (stored with a release, shown on the page).</summary>
public sealed record ReleaseSummary(string Id, string Version, DateTimeOffset Created, string? PreviousId,
    IReadOnlyList<TableSummary> Tables);

/// <summary>
/// Writes a release as one zip, deterministically: the same data gives the same bytes. Entries in a fixed order with
/// a fixed time (the release's date), CSV per RFC 4180 (UTF-8 without BOM, CRLF, invariant numbers and ISO dates),
/// one JSON file of the whole release, the projects as IATI 2.03 (the Projects feature's own export), the changes
/// from the previous release, the Frictionless Data Package descriptor and a SHA-256 manifest. Every table is read
/// row by row; nothing but the previous release's keys for the table being compared is held in memory.
/// </summary>
public sealed class OpenDataBuilder(CaravanDbContext db, OpenDataSettings settings)
{
    public const string JsonPath = "caravan-open-data.json";
    public const string IatiPath = "iati-activities.xml";
    public const string ChangesPath = "changes.csv";
    public const string ChangelogPath = "CHANGELOG.md";
    public const string PackagePath = "datapackage.json";
    public const string ManifestPath = "SHA256SUMS";

    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>
    /// Writes the release to <paramref name="output"/> (seekable, so that the zip's bytes do not depend on the
    /// stream); <paramref name="previous"/> is the previous release's zip, for the changes. Reads through the caller's
    /// transaction: one consistent view.
    /// </summary>
    public async Task<ReleaseSummary> WriteAsync(ReleaseHeader header, Stream? previous, Stream output,
        CancellationToken ct)
    {
        if (!output.CanSeek) throw new ArgumentException("The release is written to a seekable stream.", nameof(output));
        var tables = OpenDataCatalog.Tables(db.Model);
        var scope = new ReleaseScope(db, header.SnapshotIds);
        var stamp = new DateTimeOffset(header.Created.UtcDateTime.Year < 1980 ? new DateTime(1980, 1, 1)
            : DateTime.SpecifyKind(header.Created.UtcDateTime, DateTimeKind.Unspecified), TimeSpan.Zero);
        var hashes = new List<(string Path, string Sha, long Bytes)>();
        var summaries = new List<TableSummary>();
        using var prior = previous is null ? null : new ZipArchive(previous, ZipArchiveMode.Read, leaveOpen: true);
        var changesFile = Path.GetTempFileName();
        var jsonFile = Path.GetTempFileName();
        try
        {
            await using (var changes = new StreamWriter(changesFile, false, Utf8))
            await using (var jsonStream = new FileStream(jsonFile, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16))
            await using (var json = new Utf8JsonWriter(jsonStream, new JsonWriterOptions
                             { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                await changes.WriteAsync("table,change,key\r\n");
                using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);

                async Task Entry(string path, Func<Stream, Task> write)
                {
                    var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
                    entry.LastWriteTime = stamp;
                    await using var raw = entry.Open();
                    await using var hashing = new HashingStream(raw);
                    await write(hashing);
                    await hashing.FlushAsync(ct);
                    hashes.Add((path, hashing.Hex(), hashing.Count));
                }

                // The JSON file is written beside the CSVs, from the same rows (one read of each table), and copied in
                // after them: a zip's entries are written one at a time.
                json.WriteStartObject();
                json.WriteString("release", header.Id);
                json.WriteString("version", header.Version);
                json.WriteString("created", OpenDataValues.Text(header.Created));
                json.WriteStartObject("tables");
                foreach (var table in tables)
                    await Entry(table.Path, async s =>
                        summaries.Add(await WriteCsvAsync(table, scope, prior, s, changes, json, ct)));
                json.WriteEndObject();
                json.WriteEndObject();
                await json.FlushAsync(ct);
                await jsonStream.FlushAsync(ct);
                await Entry(JsonPath, async s =>
                {
                    await using var file = new FileStream(jsonFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                    await file.CopyToAsync(s, ct);
                });
                await Entry(IatiPath, s => IatiExport.WriteAsync(db, s, ct, header.Created));
                await changes.FlushAsync(ct);
                await Entry(ChangesPath, async s =>
                {
                    await using var file = File.OpenRead(changesFile);
                    await file.CopyToAsync(s, ct);
                });
                var summary = new ReleaseSummary(header.Id, header.Version, header.Created, header.PreviousId,
                    summaries);
                await Entry(ChangelogPath, s => WriteChangelogAsync(summary, s));
                await Entry(PackagePath, s => WritePackageAsync(header, tables, hashes, s));
                await Entry(ManifestPath, async s =>
                {
                    var text = string.Concat(hashes.Select(h => $"{h.Sha}  {h.Path}\n"));
                    await s.WriteAsync(Utf8.GetBytes(text), ct);
                });
                return summary;
            }
        }
        finally
        {
            File.Delete(changesFile);
            File.Delete(jsonFile);
        }
    }

    private static async Task<TableSummary> WriteCsvAsync(OpenDataTable table, ReleaseScope scope, ZipArchive? prior,
        Stream output, StreamWriter changes, Utf8JsonWriter json, CancellationToken ct)
    {
        json.WritePropertyName(table.Name);
        json.WriteStartArray();
        var keys = table.KeyPositions();
        var before = prior is null ? null : await PriorHashesAsync(table, prior, keys, ct);
        await using var writer = new StreamWriter(output, Utf8, 1 << 16, leaveOpen: true);
        var line = new StringBuilder();
        await writer.WriteAsync(Csv.Line(line, table.Fields.Select(f => f.Name)));
        long rows = 0, added = 0, changed = 0;
        await foreach (var row in table.RowsAsync(scope, ct))
        {
            var text = Csv.Line(line, row);
            await writer.WriteAsync(text);
            JsonRow(json, table, row);
            if (json.BytesPending > 1 << 16) await json.FlushAsync(ct);
            rows++;
            if (before is null) continue;
            var key = Key(row, keys);
            if (!before.Remove(Hash(key), out var hash)) { added++; await Change(changes, table, "added", key); }
            else if (hash != Hash(text)) { changed++; await Change(changes, table, "changed", key); }
        }
        json.WriteEndArray();
        long removed = 0;
        // The keys left are the removed rows': read once more from the previous release, in its order, for their text.
        if (before is { Count: > 0 })
            await foreach (var (key, _) in PriorRowsAsync(table, prior!, keys, ct))
                if (before.ContainsKey(Hash(key)))
                {
                    removed++;
                    await Change(changes, table, "removed", key);
                }
        return new TableSummary(table.Name, rows, added, removed, changed);
    }

    private static Task Change(StreamWriter changes, OpenDataTable table, string change, string key) =>
        changes.WriteAsync(Csv.Line(new StringBuilder(), [table.Name, change, key]));

    /// <summary>The primary key's values, joined with "|" (the changes file's key column).</summary>
    private static string Key(string?[] row, int[] positions) => string.Join('|', positions.Select(p => row[p]));

    private static long Hash(string line) => BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(Utf8.GetBytes(line)));

    /// <summary>
    /// The previous release's rows of this table: a 64-bit hash of each key → a hash of the row as this release would
    /// write it (16 bytes a row, whatever the keys' length); empty when that release had no such table or other columns
    /// (every row then counts as added).
    /// </summary>
    private static async Task<Dictionary<long, long>> PriorHashesAsync(OpenDataTable table, ZipArchive prior, int[] keys,
        CancellationToken ct)
    {
        var rows = new Dictionary<long, long>();
        await foreach (var (key, hash) in PriorRowsAsync(table, prior, keys, ct)) rows[Hash(key)] = hash;
        return rows;
    }

    private static async IAsyncEnumerable<(string Key, long Hash)> PriorRowsAsync(OpenDataTable table, ZipArchive prior,
        int[] keys, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (prior.GetEntry(table.Path) is not { } entry) yield break;
        await using var stream = entry.Open();
        using var reader = new StreamReader(stream, Utf8);
        await using var csv = await CsvDataReader.CreateAsync(reader, new CsvDataReaderOptions { HasHeaders = true });
        var names = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToList();
        if (!names.SequenceEqual(table.Fields.Select(f => f.Name))) yield break;
        var line = new StringBuilder();
        var row = new string?[names.Count];
        while (await csv.ReadAsync(ct))
        {
            for (var i = 0; i < row.Length; i++) row[i] = csv.GetString(i) is { Length: > 0 } s ? s : null;
            yield return (Key(row, keys), Hash(Csv.Line(line, row)));
        }
    }

    /// <summary>A row as a JSON object, each value typed as its field says.</summary>
    private static void JsonRow(Utf8JsonWriter json, OpenDataTable table, string?[] row)
    {
        json.WriteStartObject();
        for (var i = 0; i < row.Length; i++)
        {
            var field = table.Fields[i];
            json.WritePropertyName(field.Name);
            var value = row[i];
            if (value is null) json.WriteNullValue();
            else if (field.Type is "integer" or "number" or "array" or "object") json.WriteRawValue(value, skipInputValidation: true);
            else if (field.Type == "boolean") json.WriteBooleanValue(value == "true");
            else json.WriteStringValue(value);
        }
        json.WriteEndObject();
    }

    private static async Task WriteChangelogAsync(ReleaseSummary summary, Stream output)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Changes in release {summary.Version}\r\n\r\n");
        if (summary.PreviousId is null)
            text.Append("The first release: every row is new.\r\n");
        else
        {
            text.Append(CultureInfo.InvariantCulture,
                $"Since release {summary.PreviousId}, by primary key (the keys are listed in {ChangesPath}).\r\n\r\n");
            text.Append("| table | rows | added | removed | changed |\r\n|---|---:|---:|---:|---:|\r\n");
            foreach (var t in summary.Tables)
                text.Append(CultureInfo.InvariantCulture,
                    $"| {t.Name} | {t.Rows} | {t.Added} | {t.Removed} | {t.Changed} |\r\n");
        }
        await output.WriteAsync(Utf8.GetBytes(text.ToString()));
    }

    private async Task WritePackageAsync(ReleaseHeader header, IReadOnlyList<OpenDataTable> tables,
        List<(string Path, string Sha, long Bytes)> hashes, Stream output)
    {
        var files = hashes.ToDictionary(h => h.Path, StringComparer.Ordinal);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions
            { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("profile", "tabular-data-package");
        json.WriteString("name", "caravan-open-data");
        json.WriteString("id", $"caravan-open-data-{header.Id}");
        json.WriteString("title", "Caravan: outcomes of the China–Central Asia cooperation mechanism");
        json.WriteString("description",
            "The mechanism's published records: member states, bodies, meetings, documents, commitments with their "
            + "assessments and snapshots, treaties' ratification, programmes, partnerships, indicators, projects and "
            + "exchange rates, with their sources. Names in English, Russian and Chinese where the data has them.");
        json.WriteString("version", header.Version);
        json.WriteString("created", OpenDataValues.Text(header.Created));
        if (settings.SiteUrl.Length > 0) json.WriteString("homepage", settings.SiteUrl.TrimEnd('/') + "/open-data");
        json.WriteString("citation", settings.CitationOf(header.Version, header.Created));
        json.WriteString("licenseStatement", settings.Statement);
        json.WriteStartArray("licenses");
        json.WriteStartObject();
        json.WriteString("name", settings.Licence);
        json.WriteString("path", settings.LicenceUrl);
        json.WriteString("title", settings.LicenceTitle);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("sources");
        json.WriteStartObject();
        json.WriteString("title", "Official texts and reports cited record by record: data/sources.csv, data/citations.csv");
        json.WriteString("path", "data/sources.csv");
        json.WriteEndObject();
        json.WriteStartObject();
        json.WriteString("title", "IATI 2.03 activities of the projects, as published by their reporting organisations");
        json.WriteString("path", IatiPath);
        json.WriteEndObject();
        json.WriteEndArray();
        if (header.Id != OpenDataReleases.Current)
        {
            json.WriteStartObject("snapshot");
            json.WriteString("id", header.Id);
            json.WriteString("takenAt", OpenDataValues.Text(header.Created));
            json.WriteEndObject();
        }
        if (header.PreviousId is not null) json.WriteString("previousRelease", header.PreviousId);
        json.WriteStartArray("resources");
        foreach (var table in tables)
        {
            var file = files[table.Path];
            json.WriteStartObject();
            json.WriteString("name", table.Name);
            json.WriteString("title", table.Title);
            json.WriteString("path", table.Path);
            json.WriteString("profile", "tabular-data-resource");
            json.WriteString("format", "csv");
            json.WriteString("mediatype", "text/csv");
            json.WriteString("encoding", "utf-8");
            json.WriteNumber("bytes", file.Bytes);
            json.WriteString("hash", "sha256:" + file.Sha);
            json.WriteStartObject("dialect");
            json.WriteString("delimiter", ",");
            json.WriteString("lineTerminator", "\r\n");
            json.WriteString("quoteChar", "\"");
            json.WriteBoolean("doubleQuote", true);
            json.WriteBoolean("header", true);
            json.WriteEndObject();
            WriteSchema(json, table);
            json.WriteEndObject();
        }
        foreach (var (path, name, format, media) in new[]
                 {
                     (JsonPath, "release-json", "json", "application/json"),
                     (IatiPath, "projects-iati", "xml", "application/xml"),
                     (ChangesPath, "changes", "csv", "text/csv"),
                     (ChangelogPath, "changelog", "md", "text/markdown"),
                 })
        {
            var file = files[path];
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("path", path);
            json.WriteString("format", format);
            json.WriteString("mediatype", media);
            json.WriteString("encoding", "utf-8");
            json.WriteNumber("bytes", file.Bytes);
            json.WriteString("hash", "sha256:" + file.Sha);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync();
    }

    private static void WriteSchema(Utf8JsonWriter json, OpenDataTable table)
    {
        json.WriteStartObject("schema");
        json.WriteStartArray("fields");
        foreach (var f in table.Fields)
        {
            json.WriteStartObject();
            json.WriteString("name", f.Name);
            json.WriteString("type", f.Type);
            if (f.Type is "date" or "datetime") json.WriteString("format", "default");
            if (f.Description is not null) json.WriteString("description", f.Description);
            var required = f.Required || table.PrimaryKey.Contains(f.Name);
            if (required || f.Enum is not null || f.Pattern is not null)
            {
                json.WriteStartObject("constraints");
                if (required) json.WriteBoolean("required", true);
                if (f.Enum is not null)
                {
                    json.WriteStartArray("enum");
                    foreach (var v in f.Enum) json.WriteStringValue(v);
                    json.WriteEndArray();
                }
                if (f.Pattern is not null) json.WriteString("pattern", f.Pattern);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("missingValues");
        json.WriteStringValue("");
        json.WriteEndArray();
        json.WriteStartArray("primaryKey");
        foreach (var k in table.PrimaryKey) json.WriteStringValue(k);
        json.WriteEndArray();
        json.WriteStartArray("foreignKeys");
        foreach (var fk in table.ForeignKeys)
        {
            json.WriteStartObject();
            json.WriteStartArray("fields");
            foreach (var x in fk.Fields) json.WriteStringValue(x);
            json.WriteEndArray();
            json.WriteStartObject("reference");
            json.WriteString("resource", fk.Resource);
            json.WriteStartArray("fields");
            foreach (var x in fk.Reference) json.WriteStringValue(x);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}

/// <summary>RFC 4180: fields quoted when they hold a comma, a quote or a line break; quotes doubled; CRLF.</summary>
public static class Csv
{
    public static string Line(StringBuilder line, IEnumerable<string?> cells)
    {
        line.Clear();
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) line.Append(',');
            first = false;
            if (string.IsNullOrEmpty(cell)) continue;
            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0) line.Append('"').Append(cell.Replace("\"", "\"\"")).Append('"');
            else line.Append(cell);
        }
        return line.Append("\r\n").ToString();
    }
}

/// <summary>Passes writes through, hashing (SHA-256) and counting them.</summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    public long Count { get; private set; }
    private string? _hex;

    public string Hex() => _hex ??= Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        Count += buffer.Length;
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        _hash.AppendData(buffer.Span);
        Count += buffer.Length;
        await inner.WriteAsync(buffer, ct);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Count;
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
