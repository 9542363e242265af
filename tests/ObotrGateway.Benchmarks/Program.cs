namespace ObotrGateway.Benchmarks;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // `bulk …` drives a running gateway + simulator end to end (BulkTokenizationBenchmark); anything else is BenchmarkDotNet.
        if (args is ["bulk", .. var rest])
        {
            return await BulkTokenizationBenchmark.RunAsync(rest);
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
