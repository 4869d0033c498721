using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// What <c>*.get_all_ex</c> and <c>*.get_by_id_ex</c> add to plain documents: references become objects carrying
/// what the web UI shows of them (<c>project: {id, name}</c>, <c>parent: {id, name, project: {id, name}}</c>,
/// <c>execution.queue: {id, name}</c>, a task's model entries' <c>model: {id, name, uri, framework, ...}</c>),
/// so that <c>only_fields</c> such as <c>project.name</c> select from them. Unknown ids keep just their id.
/// </summary>
public sealed class ClearMlReferences(NameLookup names, ModelRepository models)
{
    public async Task ExpandTasksAsync(IReadOnlyList<JsonObject> tasks, string companyName, CancellationToken ct)
    {
        var lists = tasks.SelectMany(t => new[] { t["models"]?["input"], t["models"]?["output"] }).OfType<JsonArray>().ToList();
        var modelIds = Ids(lists.SelectMany(l => l).Select(entry => entry?["model"]));
        var modelRows = modelIds.Count == 0 ? [] : await models.QueryAsync(new ModelQuery { Ids = modelIds }, ct);
        var (experiments, projects, users, queues) = await names.ResolveAsync(new NameRequest(
            Ids(tasks.Select(t => t["parent"]).Concat(modelRows.Select(m => Node(m.ExperimentId)))),
            Ids(tasks.Select(t => t["project"])),
            Ids(tasks.Select(t => t["user"])),
            Ids(tasks.Select(t => t["execution"]?["queue"]))), ct);
        JsonObject Task(Guid id) => TaskReference(id, experiments, projects);
        var byModel = modelRows.ToDictionary(m => m.Id, m =>
        {
            var model = Named(m.Id, m.Name);
            model["uri"] = m.Uri;
            model["framework"] = m.Framework;
            model["design"] = JsonNode.Parse(string.IsNullOrEmpty(m.Design) ? "{}" : m.Design);
            model["created"] = JsonSerializer.SerializeToNode(m.CreatedAt, ClearMlJson.Options);
            model["task"] = m.ExperimentId is { } task ? Task(task) : null;
            return model;
        });
        foreach (var task in tasks)
        {
            Replace(task, "project", id => Named(id, projects.GetValueOrDefault(id)));
            Replace(task, "user", id => Named(id, users.GetValueOrDefault(id)));
            Replace(task, "parent", Task);
            Replace(task, "company", id => Named(id, companyName));
            if (task["execution"] is JsonObject execution)
            {
                Replace(execution, "queue", id => Named(id, queues.GetValueOrDefault(id)));
            }
        }
        foreach (var entry in lists.SelectMany(l => l).OfType<JsonObject>())
        {
            Replace(entry, "model", id => byModel.TryGetValue(id, out var model) ? (JsonObject)model.DeepClone() : Named(id, null));
        }
    }

    public async Task ExpandProjectsAsync(IReadOnlyList<JsonObject> documents, string companyName, CancellationToken ct)
    {
        var (_, projects, users, _) = await names.ResolveAsync(new NameRequest([], Ids(documents.Select(p => p["parent"])), Ids(documents.Select(p => p["user"])), []), ct);
        foreach (var project in documents)
        {
            Replace(project, "parent", id => Named(id, projects.GetValueOrDefault(id)));
            Replace(project, "user", id => Named(id, users.GetValueOrDefault(id)));
            Replace(project, "company", id => Named(id, companyName));
        }
    }

    public async Task ExpandQueuesAsync(IReadOnlyList<JsonObject> queues, CancellationToken ct)
    {
        var entries = queues.SelectMany(q => q["entries"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var experiments = (await names.ResolveAsync(new NameRequest(Ids(entries.Select(e => e["task"])), [], [], []), ct)).Experiments;
        foreach (var entry in entries)
        {
            Replace(entry, "task", id => Named(id, experiments.TryGetValue(id, out var e) ? e.Name : null));
        }
    }

    public async Task ExpandModelsAsync(IReadOnlyList<JsonObject> documents, string companyName, CancellationToken ct)
    {
        var (experiments, projects, users, _) = await names.ResolveAsync(
            new NameRequest(Ids(documents.Select(m => m["task"])), Ids(documents.Select(m => m["project"])), Ids(documents.Select(m => m["user"])), []), ct);
        foreach (var model in documents)
        {
            Replace(model, "project", id => Named(id, projects.GetValueOrDefault(id)));
            Replace(model, "user", id => Named(id, users.GetValueOrDefault(id)));
            Replace(model, "task", id => TaskReference(id, experiments, projects));
            Replace(model, "parent", id => Named(id, null));
            Replace(model, "company", id => Named(id, companyName));
        }
    }

    /// <summary>A task as <c>{id, name, project: {id, name}}</c>.</summary>
    private static JsonObject TaskReference(Guid id, Dictionary<Guid, (string Name, Guid? ProjectId)> experiments, Dictionary<Guid, string> projects) =>
        Named(id, experiments.TryGetValue(id, out var e) ? e.Name : null,
            e.ProjectId is { } project ? Named(project, projects.GetValueOrDefault(project)) : null);

    private static JsonNode? Node(Guid? id) => id is { } value ? JsonValue.Create(value.ToString("N")) : null;

    private static List<Guid> Ids(IEnumerable<JsonNode?> references) =>
        [.. references.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var text) && Guid.TryParse(text, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct()];

    private static void Replace(JsonObject owner, string field, Func<Guid, JsonObject> expand)
    {
        if (owner[field] is JsonValue value && value.TryGetValue<string>(out var text))
        {
            owner[field] = Guid.TryParse(text, out var id) ? expand(id) : new JsonObject { ["id"] = text };
        }
    }

    private static JsonObject Named(Guid id, string? name, JsonObject? project = null)
    {
        var reference = new JsonObject { ["id"] = id.ToString("N") };
        if (name is not null)
        {
            reference["name"] = name;
        }
        if (project is not null)
        {
            reference["project"] = project;
        }
        return reference;
    }
}
