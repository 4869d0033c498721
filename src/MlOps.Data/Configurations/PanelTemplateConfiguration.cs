using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class PanelTemplateConfiguration : IEntityTypeConfiguration<PanelTemplate>
{
    public void Configure(EntityTypeBuilder<PanelTemplate> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.Name).HasMaxLength(300);
    }
}
