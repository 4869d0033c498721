using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.Name).HasMaxLength(200);
        builder.Property(e => e.Role).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(e => new { e.WorkspaceId, e.Name }).IsUnique();
    }
}
