using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class RegisteredModelVersionConfiguration : IEntityTypeConfiguration<RegisteredModelVersion>
{
    public void Configure(EntityTypeBuilder<RegisteredModelVersion> builder)
    {
        builder.HasOne<RegisteredModel>().WithMany().HasForeignKey(e => e.RegisteredModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Model>().WithMany().HasForeignKey(e => e.ModelId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(e => e.Version).HasMaxLength(100);
        builder.HasIndex(e => new { e.RegisteredModelId, e.Version }).IsUnique();
        builder.Property(e => e.Properties).IsKeyValueJson();
    }
}
