using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ServiceConnectorConfiguration : IEntityTypeConfiguration<ServiceConnector>
{
    public void Configure(EntityTypeBuilder<ServiceConnector> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.Name).HasMaxLength(300);
        builder.Property(e => e.ConnectorType).HasMaxLength(100);
        builder.Property(e => e.AuthMethod).HasMaxLength(100);
        builder.HasIndex(e => new { e.WorkspaceId, e.Name }).IsUnique();
    }
}
