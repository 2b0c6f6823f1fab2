using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Caravan.Web.Features.Accounts;

/// <summary>
/// Identity's user manager, with the failed-attempt count kept as a limit should be: each wrong password or code is
/// counted in one write step under the writers' lock (ADR 0014), reading the count as it stands in the database, so
/// that guesses sent at once — to one node or to several — each count, and the fifth locks the account. Identity's own
/// count was a read-modify-write of the user row guarded by its concurrency stamp: of a burst of guesses, all but one
/// failed to save and went uncounted.
/// </summary>
public sealed class CaravanUserManager(
    IUserStore<CaravanUser> store, IOptions<IdentityOptions> options, IPasswordHasher<CaravanUser> hasher,
    IEnumerable<IUserValidator<CaravanUser>> userValidators, IEnumerable<IPasswordValidator<CaravanUser>> validators,
    ILookupNormalizer normalizer, IdentityErrorDescriber errors, IServiceProvider services,
    ILogger<UserManager<CaravanUser>> logger, CaravanDbContext db, TimeProvider clock)
    : UserManager<CaravanUser>(store, options, hasher, userValidators, validators, normalizer, errors, services, logger)
{
    public override Task<IdentityResult> AccessFailedAsync(CaravanUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return db.WriteAsync(async () =>
        {
            // The user as another request may have left it: the count goes on from there.
            var entry = db.Entry(user);
            if (entry.State == Microsoft.EntityFrameworkCore.EntityState.Detached) db.Users.Attach(user);
            await db.Entry(user).ReloadAsync(CancellationToken);
            user.AccessFailedCount++;
            if (user.AccessFailedCount >= Options.Lockout.MaxFailedAccessAttempts && user.LockoutEnabled)
            {
                user.LockoutEnd = clock.GetUtcNow() + Options.Lockout.DefaultLockoutTimeSpan;
                user.AccessFailedCount = 0;
                Logger.LogWarning("Account {User} locked after {Count} failed attempts", user.Id,
                    Options.Lockout.MaxFailedAccessAttempts);
            }
            // A save from a copy read before this one (Identity's other updates) now fails on the stamp instead of
            // writing the old count and lockout back.
            user.ConcurrencyStamp = Guid.NewGuid().ToString();
            db.Actor = AuditActor.Anonymous with { Reason = "a failed sign-in attempt on this account" };
            await db.SaveChangesAsync(CancellationToken);
            return IdentityResult.Success;
        }, CancellationToken);
    }
}
