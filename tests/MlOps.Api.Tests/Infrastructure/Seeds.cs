namespace MlOps.Api.Tests.Infrastructure;

/// <summary>The contract files in <c>../shared/seeds</c> next to the repository, found from the test binaries upwards.</summary>
public static class Seeds
{
    public static string Path(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "seeds", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"seed {file} not found in a 'shared/seeds' directory above {AppContext.BaseDirectory}");
    }
}
