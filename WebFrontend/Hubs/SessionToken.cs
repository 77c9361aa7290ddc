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
        // Validate before decoding: the decoder throws on characters outside the alphabet.
        if (token is null || !Base64Url.IsValid(token, out var decodedLength) || decodedLength != Length)
        {
            throw new SupportException("unknown-session", "Unknown session.");
        }

        var bytes = Base64Url.DecodeFromChars(token);

        return new SessionToken(new Guid(bytes.AsSpan(0, 16)), bytes[16..]);
    }
}
