using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class RegisteredModelConfiguration : IEntityTypeConfiguration<RegisteredModel>
{
    public void Configure(EntityTypeBuilder<RegisteredModel> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.Name).HasMaxLength(300);
        builder.HasIndex(e => new { e.WorkspaceId, e.Name }).IsUnique();
        builder.Property(e => e.Properties).IsKeyValueJson();
    }
}
