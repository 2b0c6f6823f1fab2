using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Seed;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Caravan.Features.OpenData;

/// <summary>A column of a published table, as its Frictionless Table Schema field says it.</summary>
/// <param name="Type">Table Schema type: string, integer, number, boolean, date, datetime, array, object.</param>
/// <param name="Enum">The values allowed (an enum's kebab-case names).</param>
/// <param name="Pattern">A regular expression every value matches (a partial date: year, month or day).</param>
public sealed record OpenDataField(string Name, string Type, bool Required = false,
    IReadOnlyList<string>? Enum = null, string? Pattern = null, string? Description = null);

/// <summary>Columns of one table that name the primary key of another (a Table Schema foreign key).</summary>
public sealed record OpenDataForeignKey(IReadOnlyList<string> Fields, string Resource, IReadOnlyList<string> Reference);

/// <summary>What a release holds: every table as it stands now, or what a closed snapshot may include.</summary>
/// <param name="SnapshotIds">The snapshots the release includes (those taken up to its own).</param>
public sealed record ReleaseScope(CaravanDbContext Db, IReadOnlySet<string> SnapshotIds);

/// <summary>
/// One published table of a release: its name (the CSV's and the data package resource's), its fields, its primary
/// key (the records' own ids, never row numbers, so that a row keeps its key from release to release) and its rows,
/// each value already in its invariant text form (null: empty), in primary-key order.
/// </summary>
public sealed class OpenDataTable(string name, string title, IReadOnlyList<OpenDataField> fields,
    IReadOnlyList<string> primaryKey, IReadOnlyList<OpenDataForeignKey> foreignKeys,
    Func<ReleaseScope, CancellationToken, IAsyncEnumerable<string?[]>> rows)
{
    public string Name { get; } = name;
    public string Title { get; } = title;
    public IReadOnlyList<OpenDataField> Fields { get; } = fields;
    public IReadOnlyList<string> PrimaryKey { get; } = primaryKey;
    public IReadOnlyList<OpenDataForeignKey> ForeignKeys { get; } = foreignKeys;
    public IAsyncEnumerable<string?[]> RowsAsync(ReleaseScope scope, CancellationToken ct) => rows(scope, ct);
    public string Path => $"data/{Name}.csv";

    /// <summary>The positions of the primary key's fields in a row.</summary>
    public int[] KeyPositions() => [.. PrimaryKey.Select(k => Fields.Select(f => f.Name).ToList().IndexOf(k))];
}

/// <summary>The invariant text of a value, as CSV and the Table Schema types read it.</summary>
public static class OpenDataValues
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>A partial date: the year, the month or the day, as the source gave it.</summary>
    public const string PartialDatePattern = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$";

    public static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);
    public static string Text(bool v) => v ? "true" : "false";
    public static string Text(DateOnly v) => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>UTC to the second: the Table Schema's default datetime format.</summary>
    public static string Text(DateTimeOffset v) =>
        v.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Every digit stored, no trailing zeros (a provider's scale does not change the text).</summary>
    public static string Text(decimal v) => v.ToString("0.############################", CultureInfo.InvariantCulture);

    public static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string? Of(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => Text(b),
        int i => Text(i),
        long l => Text(l),
        decimal d => Text(d),
        double d => Text(d),
        DateOnly d => Text(d),
        DateTimeOffset d => Text(d),
        PartialDate p => p.ToIso(),
        Enum e => SeedEnums.ToKebab(e.ToString()),
        _ => JsonSerializer.Serialize(value, value.GetType(), Json),
    };

    /// <summary>The Table Schema type of a CLR type (an enum's names as its allowed values).</summary>
    public static OpenDataField FieldOf(string name, Type clr, bool required)
    {
        var t = Nullable.GetUnderlyingType(clr) ?? clr;
        if (t.IsEnum)
            return new(name, "string", required, [.. Enum.GetNames(t).Select(SeedEnums.ToKebab)]);
        if (t == typeof(PartialDate)) return new(name, "string", required, Pattern: PartialDatePattern);
        var type = t switch
        {
            _ when t == typeof(string) => "string",
            _ when t == typeof(bool) => "boolean",
            _ when t == typeof(int) || t == typeof(long) || t == typeof(short) => "integer",
            _ when t == typeof(decimal) || t == typeof(double) || t == typeof(float) => "number",
            _ when t == typeof(DateOnly) => "date",
            _ when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "datetime",
            _ when t.IsGenericType && t.GetGenericTypeDefinition().Name.Contains("Dictionary") => "object",
            _ when typeof(System.Collections.IEnumerable).IsAssignableFrom(t) => "array",
            _ => "object",
        };
        return new(name, type, required);
    }

    /// <summary>snake_case of a property's name: <c>HostStateId</c> → <c>host_state_id</c>.</summary>
    public static string Snake(string pascal) => SeedEnums.ToKebab(pascal).Replace('-', '_');
}

/// <summary>
/// A table read straight from one entity's EF model: every mapped property but those left out, in the order the
/// class declares them; a <see cref="LocalizedText"/> as three columns (<c>name_en</c>, <c>name_ru</c>,
/// <c>name_zh</c>); the primary key and the foreign keys to other published tables from the model.
/// </summary>
public static class EntityTables
{
    private sealed record Column(string Property, Func<object, object?> Get, bool Localized, IReadOnlyList<string> Names);

    public static OpenDataTable Of<T>(IModel model, string name, string title, IReadOnlyDictionary<Type, string> published,
        IEnumerable<string>? omit = null, Func<IQueryable<T>, ReleaseScope, IQueryable<T>>? filter = null,
        IEnumerable<OpenDataForeignKey>? references = null) where T : class
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped");
        var left = new HashSet<string>(omit ?? [], StringComparer.Ordinal) { nameof(IVersioned.Version) };
        var properties = entity.GetProperties()
            .Where(p => p.PropertyInfo is not null && !left.Contains(p.Name))
            .OrderBy(p => p.PropertyInfo!.MetadataToken).ToList();
        var nullability = new NullabilityInfoContext();
        var columns = new List<Column>();
        var fields = new List<OpenDataField>();
        foreach (var p in properties)
        {
            var info = p.PropertyInfo!;
            var required = !p.IsNullable && nullability.Create(info).ReadState == NullabilityState.NotNull;
            var snake = OpenDataValues.Snake(p.Name);
            var getter = p.GetGetter();
            if (p.ClrType == typeof(LocalizedText))
            {
                var names = LocalizedText.Languages.Order(StringComparer.Ordinal).Select(l => $"{snake}_{l}").ToList();
                fields.AddRange(names.Select(n => new OpenDataField(n, "string")));
                columns.Add(new(p.Name, e => getter.GetClrValue(e), true, names));
            }
            else
            {
                fields.Add(OpenDataValues.FieldOf(snake, p.ClrType, required || p.IsPrimaryKey()));
                columns.Add(new(p.Name, e => getter.GetClrValue(e), false, [snake]));
            }
        }
        var key = entity.FindPrimaryKey()!.Properties;
        if (key.Any(k => left.Contains(k.Name)))
            throw new InvalidOperationException($"{name}: its primary key must be published");
        var foreignKeys = entity.GetForeignKeys()
            .Where(f => published.ContainsKey(f.PrincipalEntityType.ClrType)
                && f.Properties.All(p => !left.Contains(p.Name)))
            .Select(f => new OpenDataForeignKey([.. f.Properties.Select(p => OpenDataValues.Snake(p.Name))],
                published[f.PrincipalEntityType.ClrType],
                [.. f.PrincipalKey.Properties.Select(p => OpenDataValues.Snake(p.Name))]))
            .Concat(references ?? [])
            .ToList();
        return new OpenDataTable(name, title, fields, [.. key.Select(k => OpenDataValues.Snake(k.Name))], foreignKeys,
            (scope, ct) => Rows(scope, columns, fields.Count, key, filter, ct));
    }

    private static async IAsyncEnumerable<string?[]> Rows<T>(ReleaseScope scope, List<Column> columns, int width,
        IReadOnlyList<IProperty> key, Func<IQueryable<T>, ReleaseScope, IQueryable<T>>? filter,
        [EnumeratorCancellation] CancellationToken ct) where T : class
    {
        IQueryable<T> query = scope.Db.Set<T>().AsNoTracking();
        if (filter is not null) query = filter(query, scope);
        IOrderedQueryable<T> ordered = query.OrderBy(e => EF.Property<object>(e, key[0].Name));
        foreach (var k in key.Skip(1)) ordered = ordered.ThenBy(e => EF.Property<object>(e, k.Name));
        await foreach (var entity in ordered.AsAsyncEnumerable().WithCancellation(ct))
        {
            var row = new string?[width];
            var i = 0;
            foreach (var c in columns)
            {
                var value = c.Get(entity);
                if (c.Localized)
                {
                    var text = value as LocalizedText;
                    foreach (var language in LocalizedText.Languages.Order(StringComparer.Ordinal))
                        row[i++] = Blank(text?[language]);
                }
                else row[i++] = OpenDataValues.Of(value);
            }
            yield return row;
        }
    }

    private static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
