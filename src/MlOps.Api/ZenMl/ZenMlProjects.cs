using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ZenMl;

/// <summary>
/// Projects (shared with ClearML, Comet and Clarifai) and their statistics. A ZenML server always has the project
/// <c>default</c>, which the dashboard opens by name; a workspace without one gets it the first time it is read.
/// </summary>
public static class ZenMlProjects
{
    public const string DefaultProject = "default";

    private sealed record ProjectOut(Guid Id, string Name, string? Description, DateTime Created);

    private sealed record ProjectBody(DateTime Created, DateTime Updated, string DisplayName);

    private sealed record ProjectMetadata(string Description);

    private sealed record ProjectRequest(string? Name, string? DisplayName, string? Description);

    private sealed record ProjectStatistics(int Pipelines, int Runs);

    private static readonly FieldFilters<Project> Fields = new FieldFilters<Project>()
        .Add("id", p => p.Id).Add("name", p => p.Name).Add("display_name", p => p.Name)
        .Add("created", p => p.CreatedAt).Add("updated", p => p.LastUpdate);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects", async (HttpContext http, ReadSide reads) =>
        {
            var projects = await reads.GetAsync<ProjectRepository>(http.RequestAborted);
            return await ZenMlApi.PageAsync(http, projects.Projects, Fields, p => p.Id, p => Render(http, p));
        });
        api.MapPost("/projects", async (HttpContext http, ProjectRepository projects) =>
        {
            var body = await ZenMlApi.ReadAsync<ProjectRequest>(http);
            var project = await projects.CreateAsync(
                new ProjectDraft(ZenMlApi.Required(body.Name, "name"), body.Description), ZenMlApi.Caller(http).UserId, http.RequestAborted);
            return ZenMlApi.Created(Render(http, project));
        }).Documents<ProjectRequest>(ZenMlApi.Json);
        api.MapGet("/projects/{project_name_or_id}", async (string project_name_or_id, HttpContext http, ProjectRepository projects) =>
            Render(http, await FindAsync(project_name_or_id, projects, http)));
        api.MapPut("/projects/{project_name_or_id}", async (string project_name_or_id, HttpContext http, ProjectRepository projects) =>
        {
            var project = await FindAsync(project_name_or_id, projects, http);
            var body = await ZenMlApi.ReadAsync<ProjectRequest>(http);
            return Render(http, await projects.UpdateAsync(project.Id, new ProjectChanges(body.Name, body.Description), http.RequestAborted));
        }).Documents<ProjectRequest>(ZenMlApi.Json);
        api.MapDelete("/projects/{project_name_or_id}", async (string project_name_or_id, HttpContext http, ProjectRepository projects) =>
        {
            var project = await FindAsync(project_name_or_id, projects, http);
            await projects.DeleteAsync(project.Id, force: true, deleteContents: true, http.RequestAborted);
            return Results.NoContent();
        });
        api.MapGet("/projects/{project_name_or_id}/statistics",
            async (string project_name_or_id, HttpContext http, ProjectRepository projects, PipelineRepository pipelines) =>
            {
                var project = await FindAsync(project_name_or_id, projects, http);
                return new ProjectStatistics(
                    await pipelines.Pipelines.CountAsync(p => p.ProjectId == project.Id, http.RequestAborted),
                    await pipelines.Runs.CountAsync(r => r.ProjectId == project.Id, http.RequestAborted));
            });
    }

    /// <summary>A project by name or id; <c>default</c> is created when the workspace has none yet.</summary>
    public static async Task<Project> FindAsync(string nameOrId, ProjectRepository projects, HttpContext http)
    {
        if (Guid.TryParse(nameOrId, out var id))
        {
            return await projects.GetAsync(id, http.RequestAborted);
        }
        if (nameOrId == DefaultProject)
        {
            return await projects.GetOrCreateAsync(new ProjectDraft(DefaultProject), ZenMlApi.Caller(http).UserId, http.RequestAborted);
        }
        return await projects.FindByNameAsync(nameOrId, http.RequestAborted) ?? throw ZenMlException.NotFound($"Project not found: {nameOrId}");
    }

    public static JsonObject Render(HttpContext http, Project p) =>
        ZenMlView.Of(http).Entity(new ProjectOut(p.Id, p.Name, p.Description, p.CreatedAt),
            new ProjectBody(p.CreatedAt, p.LastUpdate, p.Name), new ProjectMetadata(p.Description ?? ""), new JsonObject());
}
