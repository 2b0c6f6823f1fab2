using Caravan.Web.Infrastructure;

namespace Caravan.Tests.Unit;

/// <summary>When a standby may be read: its lag from the primary's positions, and the change it must have replayed.</summary>
public sealed class StandbyRulesTests
{
    private const long Second = 1000;

    [Fact]
    public void A_standby_that_has_replayed_the_newest_position_is_not_behind()
    {
        StandbyRules.Position[] seen = [new(0, 100), new(1 * Second, 200)];
        Assert.Equal(TimeSpan.Zero, StandbyRules.Lag(seen, 200, 5 * Second, Second));
        Assert.Equal(TimeSpan.Zero, StandbyRules.Lag(seen, 250, 5 * Second, Second));
    }

    [Fact]
    public void The_lag_is_how_long_ago_the_primary_stood_at_the_oldest_position_not_replayed()
    {
        StandbyRules.Position[] seen = [new(0, 100), new(2 * Second, 200), new(4 * Second, 300)];
        Assert.Equal(TimeSpan.FromSeconds(5), StandbyRules.Lag(seen, 150, 7 * Second, Second));
        Assert.Equal(TimeSpan.FromSeconds(7), StandbyRules.Lag(seen, 99, 7 * Second, Second));
        Assert.Equal(TimeSpan.FromSeconds(3), StandbyRules.Lag(seen, 200, 7 * Second, Second));
    }

    [Theory]
    [InlineData(true, 500, 400, 1, true)]
    [InlineData(true, 400, 400, 1, true)]
    [InlineData(true, 399, 400, 1, false)] // a change the cache moved past is not on the standby yet
    [InlineData(true, 500, 400, 6, false)] // past the bound
    [InlineData(false, 500, 400, 0, false)] // not answering
    public void A_standby_is_read_only_when_it_answers_has_the_last_change_and_is_within_the_bound(
        bool answered, long replayed, long required, int lagSeconds, bool usable) =>
        Assert.Equal(usable, StandbyRules.Usable(answered, replayed, required, TimeSpan.FromSeconds(lagSeconds),
            TimeSpan.FromSeconds(5)));
}
