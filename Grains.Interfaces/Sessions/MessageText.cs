namespace OrleansSupport.Sessions;

/// <summary>The rules every chat message obeys, whoever sends it.</summary>
public static class MessageText
{
    public static string Validate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SupportException("message-empty", "A message cannot be empty.");
        }

        if (text.Length > SupportLimits.MaxMessageLength)
        {
            throw new SupportException(
                "message-too-long", $"A message can be at most {SupportLimits.MaxMessageLength} characters long.");
        }

        return text.Trim();
    }
}
