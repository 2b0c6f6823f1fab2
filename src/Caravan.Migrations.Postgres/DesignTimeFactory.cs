using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Caravan.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef</c> build the model for Postgres without starting the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CaravanDbContext>
{
    public CaravanDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<CaravanDbContext>();
        new DatabaseSettings { Provider = "postgres", UseCompiledModel = false, ConnectionString = "Host=127.0.0.1;Database=caravan_design;Username=postgres" }.Apply(options);
        return new CaravanDbContext(options.Options);
    }
}
