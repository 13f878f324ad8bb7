namespace NotebookMl.Core.Options;

/// <summary>The one way options types refuse a setting: an <see cref="InvalidOptionException"/> naming the property.</summary>
public static class OptionChecks
{
    /// <summary>Refuses <paramref name="option"/> with <paramref name="reason"/> unless <paramref name="valid"/>.</summary>
    public static void Check(string option, bool valid, string reason)
    {
        if (!valid)
        {
            throw new InvalidOptionException(option, reason);
        }
    }

    /// <summary>Refuses a compute device name other than auto, cpu, cuda or cuda:N.</summary>
    public static void Device(string option, string device) =>
        Check(option, device is "auto" or "cpu" or "cuda" || (device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device[5..], out var index) && index >= 0), $"'{device}' is not auto, cpu, cuda or cuda:N.");
}
