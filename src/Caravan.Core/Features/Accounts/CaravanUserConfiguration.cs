using Caravan.Features.Audit;
using Caravan.Features.Mechanism;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Accounts;

// Identity's tables under plain names. The password hash, the stamps and the tokens (TOTP key, recovery
// codes) never reach the audit trail: that they changed is recorded, not their value.
internal sealed class CaravanUserConfiguration : IEntityTypeConfiguration<CaravanUser>
{
    public void Configure(EntityTypeBuilder<CaravanUser> e)
    {
        e.ToTable("Users");
        e.Property(x => x.DisplayName).HasMaxLength(200);
        e.Property(x => x.StateId).HasMaxLength(2);
        e.Property(x => x.InvitedBy).HasMaxLength(450);
        e.Property(x => x.PasswordHash).IsRedactedInAudit();
        e.Property(x => x.SecurityStamp).IsRedactedInAudit();
        e.Property(x => x.ConcurrencyStamp).IsRedactedInAudit();
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IdentityUserClaimConfiguration : IEntityTypeConfiguration<IdentityUserClaim<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserClaim<string>> e) => e.ToTable("UserClaims");
}

internal sealed class IdentityUserLoginConfiguration : IEntityTypeConfiguration<IdentityUserLogin<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserLogin<string>> e) => e.ToTable("UserLogins");
}

internal sealed class IdentityUserTokenConfiguration : IEntityTypeConfiguration<IdentityUserToken<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserToken<string>> e)
    {
        e.ToTable("UserTokens");
        e.Property(x => x.Value).IsRedactedInAudit();
    }
}

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Prefix).HasMaxLength(16);
        e.Property(x => x.Hash).HasMaxLength(64);
        e.HasIndex(x => x.Hash).IsUnique();
        e.HasOne<CaravanUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
