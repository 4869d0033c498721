using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using MlOps.Data.Tenancy;

namespace MlOps.Data;

/// <summary>Used only by <c>dotnet ef migrations add</c>; the connection strings are never opened.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMlOpsDbContext>
{
    public SqliteMlOpsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<SqliteMlOpsDbContext>)DataServiceCollectionExtensions
            .UseSqlite(new DbContextOptionsBuilder<SqliteMlOpsDbContext>(), "Data Source=design.db").Options,
            FixedWorkspaceScope.None);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMlOpsDbContext>
{
    public PostgresMlOpsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<PostgresMlOpsDbContext>)DataServiceCollectionExtensions
            .UsePostgres(new DbContextOptionsBuilder<PostgresMlOpsDbContext>(), "Host=localhost").Options,
            FixedWorkspaceScope.None);
}
