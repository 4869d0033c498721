using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class StorageSettingsConfiguration : IEntityTypeConfiguration<StorageSettings>
{
    public void Configure(EntityTypeBuilder<StorageSettings> builder)
    {
        builder.BelongsToWorkspace();
        builder.HasKey(e => e.WorkspaceId);
    }
}
