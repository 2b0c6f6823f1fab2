using Caravan.Features.Accounts;

namespace Caravan.Tests.Unit;

/// <summary>The sign-in limit's rule: attempts in one minute add up; a new minute starts again.</summary>
public sealed class SignInWindowTests
{
    [Theory]
    [InlineData(null, 0, 100, 3, 1, true)]      // a new address
    [InlineData(100L, 2, 100, 3, 3, true)]      // the third attempt of the minute
    [InlineData(100L, 3, 100, 3, 4, false)]     // the fourth is one too many
    [InlineData(100L, 9, 101, 3, 1, true)]      // the next minute starts again
    [InlineData(95L, 3, 100, 3, 1, true)]       // an old window is not carried over
    public void Attempts_in_a_minute_add_up_and_a_new_minute_starts_again(long? minute, int attempts, long now, int limit,
        int count, bool allowed) =>
        Assert.Equal((now, count, allowed), SignInWindow.Next(minute, attempts, now, limit));
}
