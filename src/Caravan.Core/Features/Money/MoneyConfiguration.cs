using Caravan.Features.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Money;

internal sealed class ExchangeRateConfiguration : IEntityTypeConfiguration<ExchangeRate>
{
    public void Configure(EntityTypeBuilder<ExchangeRate> e)
    {
        e.HasKey(x => new { x.From, x.To, x.On });
        e.Property(x => x.From).HasMaxLength(3);
        e.Property(x => x.To).HasMaxLength(3);
        e.Property(x => x.Source).HasMaxLength(500);
        e.Property(x => x.Rate).HasPrecision(28, 12);
    }
}
