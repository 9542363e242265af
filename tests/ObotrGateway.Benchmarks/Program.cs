namespace ObotrGateway.Benchmarks;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // `bulk …` and `ntu …` drive a running gateway + simulator end to end; anything else is BenchmarkDotNet.
        if (args is ["bulk", .. var rest])
        {
            return await BulkTokenizationBenchmark.RunAsync(rest);
        }

        if (args is ["ntu", .. var ntu])
        {
            return await NtuLatencyBenchmark.RunAsync(ntu);
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
