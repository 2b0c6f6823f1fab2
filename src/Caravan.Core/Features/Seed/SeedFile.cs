using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Caravan.Features.Seed;

/// <summary>A seed file that cannot be used, with every problem found (file, line, path, reason).</summary>
public sealed class SeedFileException(string file, IReadOnlyList<SeedProblem> problems)
    : Exception(Describe(file, problems))
{
    public string File { get; } = file;
    public IReadOnlyList<SeedProblem> Problems { get; } = problems;

    private static string Describe(string file, IReadOnlyList<SeedProblem> problems) =>
        $"The seed dataset {file} cannot be loaded ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); "
        + "the database was not touched:"
        + string.Concat(
            problems.Select(
                p => $"{Environment.NewLine}  {file}:{p.Line}: {(p.Path is null ? "" : p.Path + ": ")}{p.Reason}"));
}

public sealed record SeedProblem(long Line, string? Path, string Reason);

/// <summary>A parsed and validated seed file with its SHA-256, ready for <see cref="SeedImporter"/>.</summary>
public sealed record LoadedSeed(SeedDataset Dataset, string Sha256, string File);

/// <summary>Reads the seed dataset, refusing it whole with file, line and reason when anything is wrong.</summary>
public static class SeedFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field would silently drop a fact: refuse it instead.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static LoadedSeed Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SeedFileException(path, [new SeedProblem(0, null, $"the file cannot be read: {e.Message}")]);
        }
        return Parse(bytes, path);
    }

    public static LoadedSeed Parse(byte[] bytes, string file)
    {
        SeedDataset? dataset;
        try
        {
            if (bytes.Length == 0) throw new SeedFileException(file, [new SeedProblem(1, null, "the file is empty")]);
            // Refuse bytes that are not UTF-8 (a file saved in a legacy code page) rather than guessing.
            _ = new UTF8Encoding(false, true).GetString(bytes);
            dataset = JsonSerializer.Deserialize<SeedDataset>(bytes, Options);
        }
        catch (DecoderFallbackException)
        {
            throw new SeedFileException(file, [new SeedProblem(1, null, "the file is not valid UTF-8 text")]);
        }
        catch (JsonException e)
        {
            // JsonException counts lines from 0.
            var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
            throw new SeedFileException(file, [new SeedProblem((e.LineNumber ?? 0) + 1, e.Path, reason)]);
        }
        if (dataset is null) throw new SeedFileException(file,
            [new SeedProblem(1, "$", "the file holds null, not a dataset")]);

        var problems = SeedValidator.Validate(dataset);
        if (problems.Count > 0)
        {
            var lines = JsonLineMap.Build(bytes);
            throw new SeedFileException(file,
                problems.Select(p => new SeedProblem(lines.LineOf(p.Path), p.Path, p.Reason)).ToList());
        }
        return new LoadedSeed(dataset, Convert.ToHexStringLower(SHA256.HashData(bytes)), file);
    }
}

/// <summary>Maps JSON paths (<c>$.documents[3].meeting</c>) to the line they start on, for error messages.</summary>
internal sealed class JsonLineMap
{
    private readonly Dictionary<string, long> _lines = new(StringComparer.Ordinal);

    public static JsonLineMap Build(byte[] json)
    {
        var map = new JsonLineMap();
        var newlines = new List<long>();
        for (var i = 0; i < json.Length; i++) if (json[i] == (byte)'\n') newlines.Add(i);
        long LineAt(long offset)
        {
            var index = newlines.BinarySearch(offset);
            return (index < 0 ? ~index : index) + 1;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var containers = new Stack<(string Path, bool IsArray, int Next)>();
        string? property = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                property = reader.GetString();
                continue;
            }
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                containers.Pop();
                continue;
            }
            string path;
            if (containers.Count == 0) path = "$";
            else
            {
                var top = containers.Pop();
                path = top.IsArray ? $"{top.Path}[{top.Next}]" : $"{top.Path}.{property}";
                containers.Push(top with { Next = top.Next + 1 });
            }
            map._lines[path] = LineAt(reader.TokenStartIndex);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                containers.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
        }
        return map;
    }

    /// <summary>The line of the path, or of its nearest ancestor present in the file (a missing field).</summary>
    public long LineOf(string? path)
    {
        while (!string.IsNullOrEmpty(path))
        {
            if (_lines.TryGetValue(path, out var line)) return line;
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut > 0 ? path[..cut] : null;
        }
        return 1;
    }
}
