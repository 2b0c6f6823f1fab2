using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Mechanism;

internal sealed class PriorityDirectionConfiguration : IEntityTypeConfiguration<PriorityDirection>
{
    public void Configure(EntityTypeBuilder<PriorityDirection> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
    }
}
