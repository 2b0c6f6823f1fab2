using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Accounts;

/// <summary>
/// The keys that protect sign-in cookies, invitation and reset links and forms (ASP.NET Core data protection), kept in
/// the database so that every web node reads the same key ring: a cookie or a link made by one node is valid on the
/// others (issue 18). Never audited: the audit trail must not hold key material (see <c>AuditRecorder</c>).
/// </summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> e)
    {
        e.ToTable("DataProtectionKeys");
        e.Property(x => x.FriendlyName).HasMaxLength(100);
    }
}
