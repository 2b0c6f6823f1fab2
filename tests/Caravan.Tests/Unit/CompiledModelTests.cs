using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Caravan.Tests.Unit;

/// <summary>
/// Each provider's compiled model (ADR 0024) is the model the code declares: same tables, columns, keys and indexes,
/// and the same entity types, properties, value converters and relationships. A model changed without
/// <c>scripts/add-migration.sh</c> (which regenerates them) fails here, before the app runs on a stale model.
/// </summary>
public sealed class CompiledModelTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=:memory:")]
    [InlineData(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=unused;Username=unused")]
    public void The_compiled_model_is_the_model_the_code_declares(DatabaseProvider provider, string connection)
    {
        var compiled = DatabaseSettings.CompiledModel(provider);
        Assert.NotNull(compiled);
        using var declared = Context(provider, connection, compiledModel: false);
        var built = declared.GetService<IDesignTimeModel>().Model;
        using var fromCompiled = Context(provider, connection, compiledModel: true);
        // The compiled model is what a context configured by DatabaseSettings uses.
        Assert.Same(compiled, fromCompiled.Model);

        // The relational model the SQL is generated from (the migrations differ needs design-time data the
        // compiled model does not keep, so the tables are compared as what they are).
        var missing = Tables(built).Except(Tables(compiled)).ToList();
        var extra = Tables(compiled).Except(Tables(built)).ToList();
        Assert.True(missing.Count + extra.Count == 0, "The compiled model differs from the code (run "
            + "scripts/add-migration.sh --compiled-model-only): not compiled: " + string.Join("; ", missing)
            + "; compiled but not declared: " + string.Join("; ", extra));
        Assert.Equal(Shape(built), Shape(compiled));
    }

    private static CaravanDbContext Context(DatabaseProvider provider, string connection, bool compiledModel)
    {
        var options = new DbContextOptionsBuilder<CaravanDbContext>();
        new DatabaseSettings
        {
            Provider = provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres", ConnectionString = connection,
            UseCompiledModel = compiledModel,
        }.Apply(options);
        return new CaravanDbContext(options.Options);
    }

    private static IEnumerable<string> Tables(IModel model) => model.GetRelationalModel().Tables.SelectMany(t =>
        t.Columns.Select(c => $"{t.Name}.{c.Name} {c.StoreType}{(c.IsNullable ? " null" : "")}")
            .Concat(t.Indexes.Select(i => $"{t.Name} index {i.Name} ({string.Join(",", i.Columns.Select(c => c.Name))})"
                + $"{(i.IsUnique ? " unique" : "")} {i.Filter}"))
            .Concat(t.UniqueConstraints.Select(u => $"{t.Name} key {u.Name} ({string.Join(",", u.Columns.Select(c => c.Name))})"))
            .Concat(t.ForeignKeyConstraints.Select(f => $"{t.Name} fk {f.Name} -> {f.PrincipalTable.Name} {f.OnDeleteAction}")));

    /// <summary>What the app relies on beyond the tables: each type's properties with their CLR types, converters and
    /// nullability, its keys and its relationships.</summary>
    private static List<string> Shape(IModel model) =>
    [
        .. model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal).SelectMany(e =>
            e.GetProperties().Select(p =>
                $"{e.Name}.{p.Name}: {p.ClrType.Name}{(p.IsNullable ? "?" : "")} "
                + $"{p.GetTypeMapping().Converter?.GetType().Name} {p.GetColumnName()} {p.GetMaxLength()}")
            .Concat(e.GetKeys().Select(k => $"{e.Name} key {string.Join(",", k.Properties.Select(p => p.Name))}"))
            .Concat(e.GetForeignKeys().Select(f => $"{e.Name} fk {string.Join(",", f.Properties.Select(p => p.Name))} "
                + $"-> {f.PrincipalEntityType.Name} {f.DeleteBehavior}"))
            .Concat(e.GetNavigations().Select(n => $"{e.Name} nav {n.Name}"))),
    ];
}
