using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ServingSampleConfiguration : IEntityTypeConfiguration<ServingSample>
{
    public void Configure(EntityTypeBuilder<ServingSample> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.ContainerId).HasMaxLength(300);
        builder.Property(e => e.EndpointUrl).HasMaxLength(1000);
        builder.HasIndex(e => new { e.WorkspaceId, e.EndpointUrl, e.Timestamp });
        builder.HasIndex(e => e.Timestamp);
    }
}
