using System.Reflection;
using System.Text.RegularExpressions;

namespace Uring.Tests;

/// <summary>
/// The capability table of docs/ring.md ("Capabilities by kernel": operation → calls → minimum
/// kernel → probe → test) checked against the code, so it cannot drift: every public operation of
/// <see cref="Ring"/> is listed, every listed call is a public method of the ring, every probe names
/// a real opcode or a capability the probe reports, and every named test exists in this assembly.
/// </summary>
public partial class CapabilityTableTests
{
    private const string TableBegin = "<!-- capabilities:begin -->";
    private const string TableEnd = "<!-- capabilities:end -->";

    private static readonly IReadOnlyList<CapabilityRow> Rows = ReadTable();

    [Fact]
    public void Every_public_operation_of_the_ring_is_in_the_table_and_every_call_in_the_table_exists()
    {
        var methods = typeof(Ring).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(method => method.Name)
            .ToHashSet();
        var operations = methods.Where(name => name.StartsWith("Submit", StringComparison.Ordinal) || name.EndsWith("Async", StringComparison.Ordinal));
        var listed = Rows.SelectMany(row => row.Calls).ToHashSet();

        Assert.Empty(operations.Except(listed).Order()); // missing from docs/ring.md
        Assert.Empty(listed.Except(methods).Order()); // in docs/ring.md, not in the code
    }

    [Fact]
    public void Every_probe_in_the_table_names_an_opcode_or_a_capability_the_probe_reports()
    {
        var capabilityKeys = UringProbe.Probe().Capabilities.Keys.ToHashSet();

        foreach (var row in Rows)
        {
            var opcode = OpcodeProbe().Match(row.Probe);
            var capability = CapabilityProbe().Match(row.Probe);
            Assert.True(opcode.Success || capability.Success, $"{row.Operation}: the probe '{row.Probe}' is neither Supports(RingOpcode.X) nor Has(\"KEY\")");
            if (opcode.Success)
            {
                Assert.True(Enum.TryParse<Native.RingOpcode>(opcode.Groups[1].Value, out _), $"{row.Operation}: no RingOpcode.{opcode.Groups[1].Value}");
            }
            else
            {
                Assert.True(capabilityKeys.Contains(capability.Groups[1].Value), $"{row.Operation}: the probe reports no capability '{capability.Groups[1].Value}'");
            }
        }
    }

    [Fact]
    public void Every_test_the_table_names_exists_and_every_minimum_kernel_is_a_version()
    {
        var tests = typeof(CapabilityTableTests).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods().Select(method => $"{type.Name}.{method.Name}"))
            .ToHashSet();

        foreach (var row in Rows)
        {
            Assert.True(tests.Contains(row.Test), $"{row.Operation}: no test {row.Test}");
            Assert.Matches(KernelVersion(), row.MinimumKernel);
        }
    }

    private static List<CapabilityRow> ReadTable()
    {
        var page = File.ReadAllText(FindPage());
        var begin = page.IndexOf(TableBegin, StringComparison.Ordinal);
        var end = page.IndexOf(TableEnd, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidDataException($"docs/ring.md has no capability table between {TableBegin} and {TableEnd}.");
        }

        var rows = page[begin..end].Split('\n')
            .Where(line => line.StartsWith('|') && !line.StartsWith("| operation", StringComparison.Ordinal) && !line.StartsWith("| ---", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => new CapabilityRow(
                cells[1],
                Backticked().Matches(cells[2]).Select(match => match.Groups[1].Value).ToArray(),
                cells[3],
                cells[4].Trim('`'),
                cells[5].Trim('`')))
            .ToList();
        return rows.Count > 0 ? rows : throw new InvalidDataException("The capability table in docs/ring.md has no rows.");
    }

    private static string FindPage()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var page = Path.Combine(directory.FullName, "docs", "ring.md");
            if (File.Exists(page) && File.Exists(Path.Combine(directory.FullName, "UringActors.sln")))
            {
                return page;
            }
        }

        throw new FileNotFoundException("docs/ring.md beside UringActors.sln was not found above the test's directory.");
    }

    [GeneratedRegex(@"`([A-Za-z]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"^Supports\(RingOpcode\.([A-Za-z]+)\)$")]
    private static partial Regex OpcodeProbe();

    [GeneratedRegex("^Has\\(\"([A-Z_]+)\"\\)$")]
    private static partial Regex CapabilityProbe();

    [GeneratedRegex(@"^\d+\.\d+$")]
    private static partial Regex KernelVersion();

    private sealed record CapabilityRow(string Operation, string[] Calls, string MinimumKernel, string Probe, string Test);
}
