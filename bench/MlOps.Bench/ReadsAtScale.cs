using Npgsql;

namespace MlOps.Bench;

/// <summary>
/// The web UI's two heaviest table reads at scale, each beside a hand-written SQL query answering the same question:
/// the experiment table of a project holding 100,000 tasks, and the projects page with statistics over 1,000 projects.
/// Tasks are cloned in SQL from ones the API made (every column copied but id, name and times), so seeding takes seconds.
/// </summary>
public sealed class ReadsAtScale(ClearMlClient clearMl, NpgsqlDataSource db, Report report)
{
    /// <summary>The columns the web UI's experiment table asks for (clearml-web's default table view).</summary>
    private static readonly string[] TableColumns =
    [
        "system_tags", "project", "company", "last_change", "name", "status", "type", "user.name", "last_update", "started",
        "last_iteration", "tags", "parent.name", "parent.project.id", "parent.project.name", "project.name", "comment",
        "completed", "published", "active_duration", "last_metrics", "hyperparams",
    ];

    /// <summary>Seeds both data sets, then measures each read beside its SQL <paramref name="repeat"/> times.</summary>
    public async Task RunAsync(string root, int repeat = 1)
    {
        var big = (await clearMl.CallAsync("projects.create", new { name = root + "/100k tasks" })).GetProperty("id").GetString()!;
        var completed = await clearMl.CreateTaskAsync(big, "template completed");
        await clearMl.CallAsync("tasks.completed", new { task = completed, force = true });
        var draft = (await clearMl.CallAsync("tasks.create", new { name = "template draft", type = "training", project = big })).GetProperty("id").GetString()!;
        Console.WriteLine("  seeding 100,000 tasks in one project");
        await CloneAsync("experiments", [completed, draft], [], 50_000);
        var workspace = await WorkspaceOfAsync(big);

        Console.WriteLine("  seeding 1,000 projects of 10 tasks each");
        var statsRoot = (await clearMl.CallAsync("projects.create", new { name = root + "/stats" })).GetProperty("id").GetString()!;
        await CloneAsync("projects", [statsRoot], new() { ["name"] = "t.name || '/' || g", ["parent_id"] = "t.id" }, 1000);
        await CloneAsync("experiments", [completed, draft], new() { ["project_id"] = "p.id" }, 5, $"JOIN projects p ON p.name LIKE '{root}/stats/%'");

        for (var run = 0; run < repeat; run++)
        {
            await MeasureTableAsync(big, workspace);
            await MeasureProjectsAsync(root, workspace);
        }
    }

    private async Task MeasureTableAsync(string big, Guid workspace)
    {
        var tableRequest = new
        {
            project = new[] { big }, only_fields = TableColumns, order_by = new[] { "-last_update" }, size = 15,
            system_tags = new[] { "-archived" }, type = new[] { "__$not", "annotation_manual", "__$not", "annotation", "__$not", "dataset_import" },
            include_subprojects = false, search_hidden = false,
        };
        var api = await Timing.MedianAsync(() => clearMl.CallAsync("tasks.get_all_ex", tableRequest));
        var sql = await Timing.MedianAsync(() => QueryAsync("""
            SELECT e.id, e.name, e.type, e.status, e.tags, e.system_tags, e.comment, e.created_at, e.started_at, e.completed_at,
                   e.published_at, e.last_update, e.last_changed_at, e.last_iteration, u.name, p.name, parent.name, pp.id, pp.name
            FROM experiments e
            LEFT JOIN users u ON u.id = e.user_id LEFT JOIN projects p ON p.id = e.project_id
            LEFT JOIN experiments parent ON parent.id = e.parent_id LEFT JOIN projects pp ON pp.id = parent.project_id
            WHERE e.project_id = $1 AND e.workspace_id = $2 AND NOT ('archived' = ANY (e.system_tags))
              AND e.type NOT IN ('annotation_manual', 'annotation', 'dataset_import')
            ORDER BY e.last_update DESC LIMIT 15
            """, Guid.Parse(big), workspace));
        report.Add("hand-written SQL: a 100k-task project's newest 15 rows", sql, "ms");
        report.Add("tasks.get_all_ex, the web UI's experiment table (100k tasks)", api, "ms", "SQL", sql, "≤ 2× SQL");
    }

    private async Task MeasureProjectsAsync(string root, Guid workspace)
    {
        var statsRequest = new
        {
            include_stats = true, stats_for_state = "active", check_own_contents = true, search_hidden = false,
            name = $"^{root}/stats/", order_by = new[] { "-last_update" }, size = 1000, only_fields = new[] { "name", "company", "user", "last_update", "basename", "sub_projects" },
        };
        var apiStats = await Timing.MedianAsync(() => clearMl.CallAsync("projects.get_all_ex", statsRequest));
        var sqlStats = await Timing.MedianAsync(() => QueryAsync("""
            SELECT p.id, p.name, p.last_update, s.status, s.tasks, s.runtime
            FROM projects p LEFT JOIN LATERAL (
                SELECT e.status, count(*) AS tasks, sum(extract(epoch FROM coalesce(e.completed_at, now()) - e.started_at)) AS runtime
                FROM experiments e WHERE e.project_id = p.id AND NOT ('archived' = ANY (e.system_tags)) GROUP BY e.status) s ON true
            WHERE p.workspace_id = $2 AND p.name LIKE $1 ORDER BY p.last_update DESC LIMIT 1000
            """, root + "/stats/%", workspace));
        report.Add("hand-written SQL: 1,000 projects with per-status counts and run time", sqlStats, "ms");
        report.Add("projects.get_all_ex with statistics, 1,000 projects", apiStats, "ms", "SQL", sqlStats, "≤ 2× SQL");
    }

    /// <summary>
    /// Copies the template rows <paramref name="copies"/> times each (numbered g), with a new id, a numbered name, spread
    /// times and the given column values (SQL over the template row t and the joined rows).
    /// </summary>
    private async Task CloneAsync(string table, string[] templates, Dictionary<string, string> values, int copies, string join = "")
    {
        var columns = await ColumnsAsync(table);
        var select = string.Join(", ", columns.Split(", ").Select(c => values.GetValueOrDefault(c) ?? c switch
        {
            "id" => "gen_random_uuid()",
            "name" => "t.name || ' ' || g",
            "last_update" or "created_at" => "now() - g * interval '1 second'",
            _ => "t." + c,
        }));
        var ids = string.Join(", ", templates.Select(t => $"'{Guid.Parse(t)}'::uuid"));
        await using var command = db.CreateCommand(
            $"INSERT INTO {table} ({columns}) SELECT {select} FROM {table} t CROSS JOIN generate_series(1, {copies}) g {join} WHERE t.id IN ({ids})");
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
        await db.CreateCommand($"ANALYZE {table}").ExecuteNonQueryAsync();
    }

    private async Task<string> ColumnsAsync(string table)
    {
        await using var command = db.CreateCommand("SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = $1");
        command.Parameters.AddWithValue(table);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<Guid> WorkspaceOfAsync(string project)
    {
        await using var command = db.CreateCommand("SELECT workspace_id FROM projects WHERE id = $1");
        command.Parameters.AddWithValue(Guid.Parse(project));
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private async Task QueryAsync(string sql, params object[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }
}
