using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Caravan.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the model for Sqlite without starting the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CaravanDbContext>
{
    public CaravanDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<CaravanDbContext>();
        new DatabaseSettings { Provider = "sqlite", UseCompiledModel = false, ConnectionString = "Data Source=design-time.db" }.Apply(options);
        return new CaravanDbContext(options.Options);
    }
}
