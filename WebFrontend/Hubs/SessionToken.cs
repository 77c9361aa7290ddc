using System.Buffers.Text;
using OrleansSupport.Sessions;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// What the customer's browser keeps to come back to its session: the session id and its secret in one
/// opaque base64url string. Only the pair opens the session.
/// </summary>
public sealed record SessionToken(Guid SessionId, byte[] Secret)
{
    private const int Length = 16 + SessionSecret.Length;

    public static SessionToken CreateNew() => new(Guid.NewGuid(), SessionSecret.Create());

    public override string ToString()
    {
        var bytes = new byte[Length];
        SessionId.TryWriteBytes(bytes);
        Secret.CopyTo(bytes, 16);
        return Base64Url.EncodeToString(bytes);
    }

    public static SessionToken Parse(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            throw new SupportException("unknown-session", "Unknown session.");
        }

        var bytes = new byte[Length];
        if (!Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != Length)
        {
            throw new SupportException("unknown-session", "Unknown session.");
        }

        return new SessionToken(new Guid(bytes.AsSpan(0, 16)), bytes[16..]);
    }
}
