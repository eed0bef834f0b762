using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Uring.Host.Tests.Infrastructure;

/// <summary>The host program run as a child process (<c>dotnet Uring.Host.dll</c>), its output collected line by line.</summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly ConcurrentQueue<string> _all = new();

    private HostProcess(Process process) => _process = process;

    /// <summary>Everything the program wrote so far.</summary>
    public string Output => string.Join(Environment.NewLine, _all);

    /// <summary>The program's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Starts the program with <paramref name="args"/>, optionally through <paramref name="wrapper"/> (e.g. setpriv).</summary>
    public static HostProcess Start(IEnumerable<string> args, IEnumerable<string>? wrapper = null)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Uring.Host.dll");
        var command = (wrapper ?? []).Concat(["dotnet", program]).Concat(args).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, line) => host.Collect(line.Data);
        process.ErrorDataReceived += (_, line) => host.Collect(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/> and returns its match.</summary>
    public Match WaitForLine(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            foreach (var line in _lines.GetConsumingEnumerable(cancel.Token))
            {
                if (regex.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"No line matched /{pattern}/ within {timeout}. Output so far:{Environment.NewLine}{Output}");
    }

    /// <summary>Waits for the program to exit and returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The host did not exit within {timeout}. Output:{Environment.NewLine}{Output}");
        }

        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal (SIGTERM by default) the way a service manager would.</summary>
    public void Signal(string signal = "TERM") => Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _lines.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _all.Enqueue(line);
        if (!_lines.IsAddingCompleted)
        {
            _lines.Add(line);
        }
    }
}
