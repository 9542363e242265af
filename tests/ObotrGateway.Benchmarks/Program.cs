namespace ObotrGateway.Benchmarks;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // `bulk …`, `ntu …` and `pay …` drive a running gateway + simulator end to end; anything else is BenchmarkDotNet.
        if (args is ["bulk", .. var rest])
        {
            return await BulkTokenizationBenchmark.RunAsync(rest);
        }

        if (args is ["ntu", .. var ntu])
        {
            return await NtuLatencyBenchmark.RunAsync(ntu);
        }

        if (args is ["pay", .. var pay])
        {
            return await PayBenchmark.RunAsync(pay);
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
