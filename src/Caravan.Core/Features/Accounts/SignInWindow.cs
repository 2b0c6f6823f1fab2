using Caravan.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Accounts;

/// <summary>
/// One client address's sign-in attempts in the current minute, kept in the database so that the limit holds across
/// every web node (issue 18): ten attempts a minute are ten, not ten per node. Not audited: it is traffic, not data.
/// </summary>
public sealed class SignInWindow : IUnaudited
{
    public required string Address { get; set; }
    /// <summary>The minute the count is for, in minutes since 1970 (UTC).</summary>
    public long Minute { get; set; }
    public int Attempts { get; set; }

    /// <summary>
    /// The rule: an attempt in the window's minute adds one; in a later minute the count starts again. Allowed while
    /// the count is within <paramref name="limit"/>.
    /// </summary>
    public static (long Minute, int Attempts, bool Allowed) Next(long? minute, int attempts, long now, int limit)
    {
        var count = minute == now ? attempts + 1 : 1;
        return (now, count, count <= limit);
    }
}

internal sealed class SignInWindowConfiguration : IEntityTypeConfiguration<SignInWindow>
{
    public void Configure(EntityTypeBuilder<SignInWindow> e)
    {
        e.HasKey(x => x.Address);
        e.Property(x => x.Address).HasMaxLength(64);
        // Old windows are forgotten by minute.
        e.HasIndex(x => x.Minute);
    }
}
