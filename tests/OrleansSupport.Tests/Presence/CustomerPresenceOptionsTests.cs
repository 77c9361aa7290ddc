using OrleansSupport.Presence;

namespace OrleansSupport.Tests.Presence;

public sealed class CustomerPresenceOptionsTests
{
    [Fact]
    public void Broken_graces_stop_the_start_naming_each_setting()
    {
        var error = SettingsRefusal.Of<CustomerPresenceOptions>(CustomerPresenceOptions.SectionName, new()
        {
            ["Support:Presence:QueueGraceSeconds"] = "0",
            ["Support:Presence:ChatGraceSeconds"] = "-5",
        });

        Assert.Contains("Support:Presence:QueueGraceSeconds is 0", error.Message);
        Assert.Contains("Support:Presence:ChatGraceSeconds is -5", error.Message);
        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public void By_default_a_waiter_has_a_minute_and_a_chat_ten_minutes()
    {
        var defaults = new CustomerPresenceOptions();

        Assert.Empty(defaults.Validate());
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)), (defaults.QueueGrace, defaults.ChatGrace));
    }
}
