// Runs one C# block of the user guide by its id, "<page>#<n>" (the n-th ```csharp block of docs/guide/<page>.md),
// in the current directory: GuideTests calls it in the directory where the page's commands ran.
using Distal.GuideSnippets;

if (args.Length == 1 && args[0] == "--list")
{
    foreach (string id in Snippets.All.Keys.Order(StringComparer.Ordinal))
    {
        Console.WriteLine(id);
    }

    return 0;
}

if (args.Length != 1 || !Snippets.All.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: Distal.GuideSnippets <page>#<n> | --list (unknown: {string.Join(' ', args)})");
    return 2;
}

run();
return 0;
