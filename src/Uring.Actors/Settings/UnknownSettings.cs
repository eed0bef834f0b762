using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Uring.Actors;

/// <summary>
/// Keys under <c>uring</c> that no setting reads — a misspelling, or a key in the wrong section —
/// each with the known key nearest to it, so the start can warn instead of ignoring them silently.
/// The known keys are those of the embedded <c>reference.conf</c>; anything under the two
/// dispatcher sections is Akka's dispatcher configuration and taken as known.
/// </summary>
internal static class UnknownSettings
{
    private static readonly string[] DispatcherSections = ["owner-dispatcher.", "loop-dispatcher."];

    private static readonly IReadOnlyList<string> Known = [.. LeafKeys(UringSettings.DefaultConfig.GetConfig("uring")).Order(StringComparer.Ordinal)];

    /// <summary>Each unknown key under <c>uring</c> in <paramref name="config"/> (its fallbacks included), with the nearest known one; both with the <c>uring.</c> prefix.</summary>
    internal static IReadOnlyList<(string Key, string Nearest)> In(Config config) =>
        [.. LeafKeys(config.GetConfig("uring"))
            .Where(key => !Known.Contains(key) && !DispatcherSections.Any(section => key.StartsWith(section, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .Select(key => ($"uring.{key}", $"uring.{Known.MinBy(known => Distance(key, known))}"))];

    /// <summary>The dotted paths of every value (not object) in <paramref name="config"/> and its fallbacks, once each.</summary>
    private static HashSet<string> LeafKeys(Config? config)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var section = config; section is not null; section = section.Fallback)
        {
            if (section.Root is { } root && root.IsObject())
            {
                Collect(root.GetObject(), string.Empty, keys);
            }
        }

        return keys;
    }

    private static void Collect(HoconObject node, string prefix, HashSet<string> keys)
    {
        foreach (var (name, value) in node.Items)
        {
            var path = prefix + name;
            if (value.IsObject())
            {
                Collect(value.GetObject(), path + ".", keys);
            }
            else
            {
                keys.Add(path);
            }
        }
    }

    /// <summary>The Levenshtein distance: the fewest one-character edits from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static int Distance(string from, string to)
    {
        var previous = Enumerable.Range(0, to.Length + 1).ToArray();
        var current = new int[to.Length + 1];
        for (var i = 1; i <= from.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= to.Length; j++)
            {
                var substitution = previous[j - 1] + (from[i - 1] == to[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[to.Length];
    }
}
