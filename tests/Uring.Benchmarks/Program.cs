using BenchmarkDotNet.Running;
using Uring.Benchmarks;

// dotnet run -c Release --project tests/Uring.Benchmarks -- nop [total]   plain NOP loop (pairs with reference/liburing_nop.c)
// dotnet run -c Release --project tests/Uring.Benchmarks -- --filter '*'  every BenchmarkDotNet benchmark
if (args is ["nop", ..])
{
    NopLoop.Run(args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
