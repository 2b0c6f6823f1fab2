using System.Reflection;
using System.Text.Json;
using Caravan.Features.Audit;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Data;

/// <summary>
/// How values are stored, decided once for every entity, so that a feature's configuration only says what is
/// particular to it. Found by reflection over the entity classes: a feature adding an enum or a list to an
/// entity edits nothing here.
/// </summary>
internal static class ModelConventions
{
    /// <summary>Every enum column's length. The longest name today is 20 characters; a longer one is refused.</summary>
    public const int EnumLength = 32;

    public static void Apply(ModelConfigurationBuilder builder, IReadOnlyCollection<Type> entityTypes)
    {
        builder.Properties<PartialDate>().HaveConversion<PartialDateConverter>().HaveMaxLength(10);
        builder.Properties<decimal>().HavePrecision(20, 6);
        var valueTypes = entityTypes
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType)
            .ToHashSet();
        // Enums as readable text: the database stays legible to a secretariat analyst with psql.
        foreach (var type in valueTypes.Where(t => t.IsEnum))
        {
            if (Enum.GetNames(type).FirstOrDefault(n => n.Length > EnumLength) is { } name)
                throw new InvalidOperationException($"{type.Name}.{name} is longer than an enum column allows.");
            builder.Properties(type).HaveConversion(typeof(string)).HaveMaxLength(EnumLength);
        }
        // Localised texts and small lists are values of their row, never queried inside: one JSON column
        // each keeps both providers on the same simple schema.
        foreach (var type in valueTypes.Where(t => IsJsonValue(t, entityTypes)))
            builder.Properties(type).HaveConversion(
                typeof(JsonConverter<>).MakeGenericType(type), typeof(JsonComparer<>).MakeGenericType(type));
        builder.Conventions.Add(services =>
            new RedactedInAuditConvention(services.GetRequiredService<ProviderConventionSetBuilderDependencies>()));
    }

    /// <summary>A localised text, or a list or map of values (not of entities: those are navigations).</summary>
    private static bool IsJsonValue(Type type, IReadOnlyCollection<Type> entityTypes) =>
        type == typeof(LocalizedText)
        || (type.IsGenericType
            && (type.GetGenericTypeDefinition() == typeof(List<>)
                || type.GetGenericTypeDefinition() == typeof(SortedDictionary<,>))
            && !type.GetGenericArguments().Any(entityTypes.Contains));

    /// <summary>
    /// The entity classes: those a configuration in this assembly is for, and those the context lists
    /// (Identity's own among them).
    /// </summary>
    public static IReadOnlyCollection<Type> EntityTypes(DbContext context)
    {
        var configured = typeof(ModelConventions).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>))
            .Select(i => i.GetGenericArguments()[0]);
        var listed = context.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(DbSet<>))
            .Select(p => p.PropertyType.GetGenericArguments()[0]);
        return configured.Concat(listed).ToHashSet();
    }
}

internal static class ModelBuilderExtensions
{
    public static PropertyBuilder<string> HaveSlugLength(this PropertyBuilder<string> property) =>
        property.HasMaxLength(100);
}

internal sealed class JsonConverter<T>() : ValueConverter<T, string>(
    v => JsonSerializer.Serialize(v, JsonOptions),
    s => JsonSerializer.Deserialize<T>(s, JsonOptions)!)
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

internal sealed class JsonComparer<T>() : ValueComparer<T>(
    (a, b) => JsonSerializer.Serialize(a, JsonConverter<T>.JsonOptions)
        == JsonSerializer.Serialize(b, JsonConverter<T>.JsonOptions),
    v => JsonSerializer.Serialize(v, JsonConverter<T>.JsonOptions).GetHashCode(StringComparison.Ordinal),
    v => JsonSerializer.Deserialize<T>(
        JsonSerializer.Serialize(v, JsonConverter<T>.JsonOptions), JsonConverter<T>.JsonOptions)!);

internal sealed class PartialDateConverter() : ValueConverter<PartialDate, string>(
    v => v.ToIso(),
    s => PartialDate.Parse(s));
