using System.Globalization;

namespace NotebookMl.Notebooks.Json;

/// <summary>Python's <c>float.__repr__</c> as <c>json.dumps</c> writes it (NaN and infinities as JSON5-style names).</summary>
internal static class PythonFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        var sign = double.IsNegative(value) ? "-" : "";
        if (value == 0)
        {
            return sign + "0.0";
        }

        // .NET's "R" gives the same shortest round-trip digits as Python's repr; only the layout differs.
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOf('E');
        var exponent = exponentAt < 0 ? 0 : int.Parse(text[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var dot = mantissa.IndexOf('.');
        var integerPart = dot < 0 ? mantissa : mantissa[..dot];
        var digits = integerPart + (dot < 0 ? "" : mantissa[(dot + 1)..]);
        var point = integerPart.Length + exponent;
        var trimmed = digits.TrimStart('0');
        point -= digits.Length - trimmed.Length;
        digits = trimmed.TrimEnd('0');

        // The value is 0.<digits> × 10^point; Python switches to exponent form outside -4 < point <= 16.
        if (point <= -4 || point > 16)
        {
            var e = point - 1;
            var head = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
            return $"{sign}{head}e{(e < 0 ? '-' : '+')}{Math.Abs(e):00}";
        }

        if (point <= 0)
        {
            return $"{sign}0.{new string('0', -point)}{digits}";
        }

        return point < digits.Length
            ? $"{sign}{digits[..point]}.{digits[point..]}"
            : $"{sign}{digits}{new string('0', point - digits.Length)}.0";
    }
}
