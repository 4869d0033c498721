using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class WebhookTargetConfiguration : IEntityTypeConfiguration<WebhookTarget>
{
    public void Configure(EntityTypeBuilder<WebhookTarget> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.ModelName).HasMaxLength(300);
        builder.HasIndex(e => new { e.WorkspaceId, e.ModelName });
    }
}
