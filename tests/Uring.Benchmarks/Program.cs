using System.Globalization;
using BenchmarkDotNet.Running;
using Uring.Benchmarks;

// dotnet run -c Release --project tests/Uring.Benchmarks -- nop [total]        NOP loops (pair with reference/liburing_nop.c)
// dotnet run -c Release --project tests/Uring.Benchmarks -- pingpong [rounds]  socketpair ping-pong loops (pair with reference/liburing_pingpong.c)
// dotnet run -c Release --project tests/Uring.Benchmarks -- sendzc [megabytes] SEND against SEND_ZC on loopback TCP, by write size
// dotnet run -c Release --project tests/Uring.Benchmarks -- remote-pingpong [messages] [rounds] [rings]  Akka.Remote over Uring against DotNetty
// dotnet run -c Release --project tests/Uring.Benchmarks -- --filter '*'       every BenchmarkDotNet benchmark
long Count(long fallback) => args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : fallback;
switch (args)
{
    case ["nop", ..]:
        await NopLoop.RunAsync(Count(2_000_000));
        break;
    case ["pingpong", ..]:
        await PingPongLoop.RunAsync(Count(200_000));
        break;
    case ["remote-pingpong", ..]:
        await Uring.Benchmarks.Remote.RemotePingPong.RunAsync(Count(600_000), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3, args.Length > 3 ? args[3] : "auto");
        break;
    case ["sendzc", ..]:
        SendZcLoop.Run(Count(2048));
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        break;
}
