using System.Security.Cryptography;

namespace OrleansSupport.Sessions;

/// <summary>The secret that proves a caller is the session's customer: 32 random bytes, stored hashed.</summary>
public static class SessionSecret
{
    public const int Length = 32;

    public static byte[] Create() => RandomNumberGenerator.GetBytes(Length);

    public static byte[] Hash(byte[] secret) => SHA256.HashData(secret);

    /// <summary>Constant-time, so the time taken tells nothing about how much of a guess was right.</summary>
    public static bool Matches(byte[]? secret, byte[] storedHash) =>
        secret is { Length: Length } && storedHash.Length > 0
        && CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
