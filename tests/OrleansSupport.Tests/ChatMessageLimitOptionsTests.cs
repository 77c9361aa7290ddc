namespace OrleansSupport.Tests;

public sealed class ChatMessageLimitOptionsTests
{
    [Fact]
    public void Broken_message_limits_stop_the_start_naming_each_setting()
    {
        var error = SettingsRefusal.Of<ChatMessageLimitOptions>(ChatMessageLimitOptions.SectionName, new()
        {
            ["Support:ChatMessages:CustomerPerSecond"] = "0",
            ["Support:ChatMessages:OperatorBurst"] = "0.5",
        });

        Assert.Contains("Support:ChatMessages:CustomerPerSecond is 0", error.Message);
        Assert.Contains("Support:ChatMessages:OperatorBurst is 0.5", error.Message);
        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public void The_defaults_are_valid_and_keep_a_customer_to_two_messages_a_second()
    {
        var defaults = new ChatMessageLimitOptions();

        Assert.Empty(defaults.Validate());
        Assert.Equal((2, 10, 5, 20), (defaults.CustomerPerSecond, defaults.CustomerBurst, defaults.OperatorPerSecond, defaults.OperatorBurst));
    }
}
