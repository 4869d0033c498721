using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class StackComponentConfiguration : IEntityTypeConfiguration<StackComponent>
{
    public void Configure(EntityTypeBuilder<StackComponent> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.Name).HasMaxLength(300);
        builder.Property(e => e.Type).HasMaxLength(50);
        builder.Property(e => e.Flavor).HasMaxLength(100);
        builder.HasIndex(e => new { e.WorkspaceId, e.Type, e.Name }).IsUnique();
    }
}
