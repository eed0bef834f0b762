using Uring.Host.Tests.Infrastructure;

namespace Uring.Host.Tests;

/// <summary>
/// The real refusal path: <c>kernel.io_uring_disabled=1</c> lets only privileged processes (or
/// members of <c>kernel.io_uring_group</c>) create rings, so the program run as <c>nobody</c> gets
/// EPERM from io_uring_setup. Privileged processes — this test run included — are unaffected; the
/// setting is restored afterwards.
/// </summary>
[Collection(nameof(SystemSettingsCollection))]
public sealed class UnavailableIoUringTests
{
    private const string DisabledSetting = "/proc/sys/kernel/io_uring_disabled";

    [Fact]
    public void Without_io_uring_the_program_exits_nonzero_with_one_line_saying_why_and_what_to_do()
    {
        Assert.SkipUnless(Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "needs root and setpriv to run the program as an unprivileged user");
        var original = File.ReadAllText(DisabledSetting).Trim();
        Assert.SkipUnless(original == "0", $"kernel.io_uring_disabled is already {original}");
        try
        {
            File.WriteAllText(DisabledSetting, "1");
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            Assert.Skip($"cannot change kernel.io_uring_disabled here: {error.Message}");
        }

        try
        {
            using var program = HostProcess.Start(
                ["--Uring:Services:Echo:Endpoint=127.0.0.1:0", "--Uring:Services:Http:Endpoint=127.0.0.1:0"],
                ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp"]);

            var exitCode = program.WaitForExit(TimeSpan.FromSeconds(60));

            Assert.Equal(1, exitCode);
            var fatal = Assert.Single(program.Output.Split(Environment.NewLine), line => line.Contains("FTL", StringComparison.Ordinal));
            Assert.Contains("io_uring is unavailable", fatal, StringComparison.Ordinal);
            Assert.Contains("EPERM", fatal, StringComparison.Ordinal);
            Assert.Contains("io_uring_disabled", fatal, StringComparison.Ordinal);
        }
        finally
        {
            File.WriteAllText(DisabledSetting, original);
        }
    }
}

/// <summary>Tests that change machine-wide settings run alone.</summary>
[CollectionDefinition(nameof(SystemSettingsCollection), DisableParallelization = true)]
public sealed class SystemSettingsCollection;
