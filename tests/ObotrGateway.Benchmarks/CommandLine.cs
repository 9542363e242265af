namespace ObotrGateway.Benchmarks;

/// <summary>The end-to-end commands' options: <c>--name value</c> pairs.</summary>
internal static class CommandLine
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }
}
