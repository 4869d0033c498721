using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class RemoteCallConfiguration : IEntityTypeConfiguration<RemoteCall>
{
    public void Configure(EntityTypeBuilder<RemoteCall> builder)
    {
        builder.HasOne<Experiment>().WithMany().HasForeignKey(e => e.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.FunctionName).HasMaxLength(300);
    }
}
