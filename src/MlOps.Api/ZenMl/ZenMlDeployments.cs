using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ZenMl;

/// <summary>
/// A pipeline prepared to run on a stack. The seed's <c>/deployments</c> keeps its fields (pipeline, stack, status);
/// the same rows are ZenML's pipeline snapshots (what the dashboard lists under <c>/pipeline_snapshots</c>), unnamed,
/// unless given a name (<c>PUT /pipeline_snapshots/{id}</c>), which <c>named_only=true</c> lists.
/// </summary>
public static class ZenMlDeployments
{
    private sealed record DeploymentRequest(Guid? PipelineId, Guid? StackId, string? Status);

    private sealed record SnapshotUpdate(string? Name, string? Description);

    /// <summary>The name a snapshot was given (ZenML's named snapshots); a deployment row has no column for it.</summary>
    public sealed record SnapshotName(Guid Id, string Name, string? Description);

    private static readonly ZenMlCatalog<SnapshotName> Names = new("snapshot_names");

    private sealed record DeploymentOut(Guid Id, Guid? PipelineId, Guid? StackId, string? Status, DateTime Created);

    private sealed record DeploymentBody(DateTime Created, DateTime Updated, Guid? UserId, Guid? ProjectId, string? Url, string? Status);

    private sealed record SnapshotBody(DateTime Created, DateTime Updated, Guid? UserId, Guid? ProjectId, bool Runnable, bool Deployable, bool IsDynamic, Guid? PipelineId);

    private static readonly FieldFilters<PipelineDeployment> Fields = new FieldFilters<PipelineDeployment>()
        .Add("id", d => d.Id).Add("pipeline_id", d => d.PipelineId).Add("stack_id", d => d.StackId).Add("status", d => d.Status)
        .Add("pipeline", d => d.PipelineId).Add("stack", d => d.StackId).Add("user_id", d => d.UserId).Add("user", d => d.UserId)
        .Add("created", d => d.CreatedAt).Add("updated", d => d.CreatedAt);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/deployments", async (HttpContext http, ReadSide reads) =>
        {
            var pipelines = await reads.GetAsync<PipelineRepository>(http.RequestAborted);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return await ZenMlApi.PageAsync(http, pipelines.Deployments, Fields, d => d.Id, d => Render(http, d));
        });
        api.MapPost("/deployments", async (HttpContext http, PipelineRepository pipelines) =>
        {
            var body = await ZenMlApi.ReadAsync<DeploymentRequest>(http);
            var deployment = await pipelines.CreateDeploymentAsync(body.PipelineId, body.StackId, body.Status, ZenMlApi.Caller(http).UserId, http.RequestAborted);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return ZenMlApi.Created(Render(http, deployment));
        }).Documents<DeploymentRequest>(ZenMlApi.Json);
        api.MapGet("/deployments/{deployment_id}", async (string deployment_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var deployment = await pipelines.GetDeploymentAsync(ZenMlApi.PathId(deployment_id, "deployment_id"), http.RequestAborted);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return Render(http, deployment);
        });
        api.MapDelete("/deployments/{deployment_id}", async (string deployment_id, HttpContext http, PipelineRepository pipelines) =>
        {
            await pipelines.DeleteDeploymentAsync(ZenMlApi.PathId(deployment_id, "deployment_id"), http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/pipeline_snapshots", async (HttpContext http, ReadSide reads) =>
        {
            var pipelines = await reads.GetAsync<PipelineRepository>(http.RequestAborted);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            var namedOnly = http.Request.Query["named_only"].ToString() is "true" or "True" or "1";
            var names = (await Names.ReadAsync(http)).ToDictionary(n => n.Id);
            var named = names.Keys.ToList();
            var rows = namedOnly ? pipelines.Deployments.Where(d => named.Contains(d.Id)) : pipelines.Deployments;
            return await ZenMlApi.PageAsync(http, rows, Fields, d => d.Id, d => RenderSnapshot(http, d, names.GetValueOrDefault(d.Id)));
        });
        api.MapGet("/pipeline_snapshots/{snapshot_id}", async (string snapshot_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var deployment = await pipelines.GetDeploymentAsync(ZenMlApi.PathId(snapshot_id, "snapshot_id"), http.RequestAborted);
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return RenderSnapshot(http, deployment, (await Names.ReadAsync(http)).FirstOrDefault(n => n.Id == deployment.Id));
        });
        api.MapPut("/pipeline_snapshots/{snapshot_id}", async (string snapshot_id, HttpContext http, PipelineRepository pipelines) =>
        {
            var deployment = await pipelines.GetDeploymentAsync(ZenMlApi.PathId(snapshot_id, "snapshot_id"), http.RequestAborted);
            var body = await ZenMlApi.ReadAsync<SnapshotUpdate>(http);
            if (body.Name is { } text && string.IsNullOrWhiteSpace(text))
            {
                throw ZenMlException.Invalid("ensure this value has at least 1 characters", "body", "name");
            }
            var pipelineSnapshots = await pipelines.Deployments.Where(d => d.PipelineId == deployment.PipelineId).Select(d => d.Id).ToListAsync(http.RequestAborted);
            var names = await Names.UpdateAsync(http, names =>
            {
                var current = names.FirstOrDefault(n => n.Id == deployment.Id);
                var name = body.Name?.Trim() ?? current?.Name;
                if (name is null)
                {
                    return names;
                }
                if (names.Any(n => n.Id != deployment.Id && n.Name == name && pipelineSnapshots.Contains(n.Id)))
                {
                    throw new ZenMlException(409, "EntityExistsError", $"A snapshot named '{name}' already exists for this pipeline.");
                }
                return [.. names.Where(n => n.Id != deployment.Id), new SnapshotName(deployment.Id, name, body.Description ?? current?.Description)];
            });
            await ZenMlView.Of(http).LoadPipelinesAndStacksAsync(http);
            return RenderSnapshot(http, deployment, names.FirstOrDefault(n => n.Id == deployment.Id));
        }).Documents<SnapshotUpdate>(ZenMlApi.Json);
    }

    private static JsonObject Render(HttpContext http, PipelineDeployment d)
    {
        var view = ZenMlView.Of(http);
        var projectId = d.PipelineId is { } id && view.Pipelines.TryGetValue(id, out var pipeline) ? pipeline.ProjectId : (Guid?)null;
        var entity = view.Entity(new DeploymentOut(d.Id, d.PipelineId, d.StackId, d.Status, d.CreatedAt),
            new DeploymentBody(d.CreatedAt, d.CreatedAt, d.UserId, projectId, null, d.Status),
            new { deployment_metadata = new JsonObject() }, view.Resources(d.UserId, Linked(http, d)));
        entity["name"] = Name(view, d);
        // A deployment here is its own snapshot (the same row), which the deployment page opens by this id.
        entity["resources"]!["snapshot"] = new JsonObject { ["id"] = d.Id.ToString(), ["name"] = Name(view, d) };
        return entity;
    }

    private static JsonObject RenderSnapshot(HttpContext http, PipelineDeployment d, SnapshotName? named)
    {
        var view = ZenMlView.Of(http);
        var projectId = d.PipelineId is { } id && view.Pipelines.TryGetValue(id, out var pipeline) ? pipeline.ProjectId : (Guid?)null;
        var snapshot = view.Entity(new DeploymentOut(d.Id, d.PipelineId, d.StackId, d.Status, d.CreatedAt),
            new SnapshotBody(d.CreatedAt, d.CreatedAt, d.UserId, projectId, false, false, false, d.PipelineId),
            new { run_name_template = "{pipeline_name}-{date}-{time}", pipeline_configuration = new JsonObject { ["name"] = Name(view, d) },
                step_configurations = new JsonObject(), client_environment = new JsonObject(), client_version = (string?)null,
                server_version = ZenMlAuth.ServerVersion, description = named?.Description },
            view.Resources(d.UserId, Linked(http, d)));
        if (named is not null)
        {
            snapshot["name"] = named.Name;
        }
        return snapshot;
    }

    private static object Linked(HttpContext http, PipelineDeployment d)
    {
        var view = ZenMlView.Of(http);
        return new
        {
            pipeline = d.PipelineId is { } p && view.Pipelines.TryGetValue(p, out var pipeline) ? ZenMlPipelines.Nested(http, pipeline) : null,
            stack = d.StackId is { } s && view.Stacks.TryGetValue(s, out var stack) ? ZenMlStacks.Nested(http, stack) : null,
            tags = Array.Empty<object>(),
        };
    }

    /// <summary>A deployment has no name of its own here: its pipeline's, or its id's first characters.</summary>
    private static string Name(ZenMlView view, PipelineDeployment d) =>
        d.PipelineId is { } id && view.Pipelines.TryGetValue(id, out var pipeline) ? pipeline.Name : "deployment-" + d.Id.ToString("N")[..8];
}
