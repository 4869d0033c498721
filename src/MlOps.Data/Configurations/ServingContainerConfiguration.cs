using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ServingContainerConfiguration : IEntityTypeConfiguration<ServingContainer>
{
    public void Configure(EntityTypeBuilder<ServingContainer> builder)
    {
        builder.BelongsToWorkspace();
        builder.HasKey(e => new { e.WorkspaceId, e.ContainerId });
        builder.Property(e => e.ContainerId).HasMaxLength(300);
        builder.Property(e => e.EndpointName).HasMaxLength(300);
        builder.Property(e => e.EndpointUrl).HasMaxLength(1000);
        builder.Property(e => e.ModelName).HasMaxLength(300);
        builder.HasIndex(e => new { e.WorkspaceId, e.EndpointUrl, e.ExpiresAt });
    }
}
