using System.Globalization;

namespace OrleansSupport.ScalingModel;

/// <summary>How the tables write numbers: thousands separated, no more digits than the inputs carry.</summary>
internal static class Figures
{
    public static string Amount(double value) => value switch
    {
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("#,0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    public static string Share(double fraction) => $"{Amount(fraction * 100)} %";

    public static string MiB(double bytes) => $"{Amount(bytes / (1024 * 1024))} MiB";
}
