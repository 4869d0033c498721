using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

public sealed record StackDraft(string? Name, string? Description, IReadOnlyDictionary<string, List<Guid>>? Components);

public sealed record ComponentDraft(string? Name, string? Type, string? Flavor, string? Configuration);

public sealed record ConnectorDraft(string? Name, string? ConnectorType, string? AuthMethod, IReadOnlyList<string>? ResourceTypes, string? Configuration);

/// <summary>Stacks, the components they are made of, and service connectors. Null draft members are left as they are.</summary>
public sealed class StackRepository(MlOpsDbContext db, TimeProvider clock)
{
    public IQueryable<Stack> Stacks => db.Stacks.AsNoTracking();

    public IQueryable<StackComponent> Components => db.StackComponents.AsNoTracking();

    public IQueryable<ServiceConnector> Connectors => db.ServiceConnectors.AsNoTracking();

    public static Dictionary<string, List<Guid>> ReadComponents(Stack stack) =>
        JsonSerializer.Deserialize<Dictionary<string, List<Guid>>>(stack.Components) ?? [];

    public async Task<Stack> CreateStackAsync(StackDraft draft, Guid? userId, CancellationToken ct)
    {
        var stack = new Stack { Name = Rows.Required(draft.Name, EntityKind.Stack, "name"), UserId = userId };
        await ApplyAsync(stack, draft, ct);
        db.Stacks.Add(stack);
        await db.SaveChangesAsync(ct);
        return stack;
    }

    public async Task<Stack> UpdateStackAsync(Guid id, StackDraft draft, CancellationToken ct)
    {
        var stack = await db.Stacks.GetAsync(id, EntityKind.Stack, ct);
        stack.Name = draft.Name is null ? stack.Name : Rows.Required(draft.Name, EntityKind.Stack, "name");
        await ApplyAsync(stack, draft, ct);
        stack.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return stack;
    }

    public Task<Stack> GetStackAsync(Guid id, CancellationToken ct) => Stacks.GetAsync(id, EntityKind.Stack, ct);

    public Task DeleteStackAsync(Guid id, CancellationToken ct) => db.Stacks.DeleteAsync(id, EntityKind.Stack, ct);

    /// <summary>Every component named must exist and be of the type it is listed under; stack names are unique.</summary>
    private async Task ApplyAsync(Stack stack, StackDraft draft, CancellationToken ct)
    {
        stack.Description = draft.Description ?? stack.Description;
        if (draft.Components is { } components)
        {
            var ids = components.Values.SelectMany(v => v).Distinct().ToList();
            var types = await db.StackComponents.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Type, ct);
            foreach (var (type, listed) in components)
            {
                foreach (var id in listed)
                {
                    if (!types.TryGetValue(id, out var actual))
                    {
                        throw DomainException.NotFound(EntityKind.StackComponent, id.ToString("N"));
                    }
                    if (actual != type)
                    {
                        throw new DomainException(DomainError.InvalidInput, EntityKind.Stack, $"component {id} is a {actual}, not a {type}");
                    }
                }
            }
            stack.Components = JsonSerializer.Serialize(components.Where(c => c.Value.Count > 0).ToDictionary(c => c.Key, c => c.Value.Distinct().ToList()));
        }
        if (await db.Stacks.AnyAsync(s => s.Name == stack.Name && s.Id != stack.Id, ct))
        {
            throw Rows.Exists(EntityKind.Stack, $"stack '{stack.Name}'");
        }
    }

    public async Task<StackComponent> CreateComponentAsync(ComponentDraft draft, Guid? userId, CancellationToken ct)
    {
        var component = new StackComponent
        {
            Name = Rows.Required(draft.Name, EntityKind.StackComponent, "name"),
            Type = Rows.Required(draft.Type, EntityKind.StackComponent, "type"),
            Flavor = Rows.Required(draft.Flavor, EntityKind.StackComponent, "flavor"),
            UserId = userId,
        };
        await ApplyAsync(component, draft, ct);
        db.StackComponents.Add(component);
        await db.SaveChangesAsync(ct);
        return component;
    }

    public async Task<StackComponent> UpdateComponentAsync(Guid id, ComponentDraft draft, CancellationToken ct)
    {
        var component = await db.StackComponents.GetAsync(id, EntityKind.StackComponent, ct);
        component.Name = draft.Name is null ? component.Name : Rows.Required(draft.Name, EntityKind.StackComponent, "name");
        component.Flavor = draft.Flavor is null ? component.Flavor : Rows.Required(draft.Flavor, EntityKind.StackComponent, "flavor");
        await ApplyAsync(component, draft, ct);
        component.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return component;
    }

    private async Task ApplyAsync(StackComponent component, ComponentDraft draft, CancellationToken ct)
    {
        component.Configuration = draft.Configuration ?? component.Configuration;
        if (await db.StackComponents.AnyAsync(c => c.Type == component.Type && c.Name == component.Name && c.Id != component.Id, ct))
        {
            throw Rows.Exists(EntityKind.StackComponent, $"{component.Type} '{component.Name}'");
        }
    }

    public Task<StackComponent> GetComponentAsync(Guid id, CancellationToken ct) => Components.GetAsync(id, EntityKind.StackComponent, ct);

    /// <summary>A component still part of a stack cannot be deleted.</summary>
    public async Task DeleteComponentAsync(Guid id, CancellationToken ct)
    {
        await GetComponentAsync(id, ct);
        var user = (await db.Stacks.AsNoTracking().ToListAsync(ct)).FirstOrDefault(s => ReadComponents(s).Values.Any(ids => ids.Contains(id)));
        if (user is not null)
        {
            throw new DomainException(DomainError.InvalidState, EntityKind.StackComponent, $"the component is part of stack '{user.Name}'");
        }
        await db.StackComponents.DeleteAsync(id, EntityKind.StackComponent, ct);
    }

    public async Task<ServiceConnector> CreateConnectorAsync(ConnectorDraft draft, Guid? userId, CancellationToken ct)
    {
        var connector = new ServiceConnector
        {
            Name = Rows.Required(draft.Name, EntityKind.ServiceConnector, "name"),
            ConnectorType = Rows.Required(draft.ConnectorType, EntityKind.ServiceConnector, "connector_type"),
            AuthMethod = Rows.Required(draft.AuthMethod, EntityKind.ServiceConnector, "auth_method"),
            UserId = userId,
        };
        await ApplyAsync(connector, draft, ct);
        db.ServiceConnectors.Add(connector);
        await db.SaveChangesAsync(ct);
        return connector;
    }

    public async Task<ServiceConnector> UpdateConnectorAsync(Guid id, ConnectorDraft draft, CancellationToken ct)
    {
        var connector = await db.ServiceConnectors.GetAsync(id, EntityKind.ServiceConnector, ct);
        connector.Name = draft.Name is null ? connector.Name : Rows.Required(draft.Name, EntityKind.ServiceConnector, "name");
        connector.ConnectorType = draft.ConnectorType is null ? connector.ConnectorType : Rows.Required(draft.ConnectorType, EntityKind.ServiceConnector, "connector_type");
        connector.AuthMethod = draft.AuthMethod is null ? connector.AuthMethod : Rows.Required(draft.AuthMethod, EntityKind.ServiceConnector, "auth_method");
        await ApplyAsync(connector, draft, ct);
        connector.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return connector;
    }

    private async Task ApplyAsync(ServiceConnector connector, ConnectorDraft draft, CancellationToken ct)
    {
        connector.ResourceTypes = draft.ResourceTypes is null ? connector.ResourceTypes : [.. draft.ResourceTypes.Distinct()];
        connector.Configuration = draft.Configuration ?? connector.Configuration;
        if (await db.ServiceConnectors.AnyAsync(c => c.Name == connector.Name && c.Id != connector.Id, ct))
        {
            throw Rows.Exists(EntityKind.ServiceConnector, $"service connector '{connector.Name}'");
        }
    }

    public Task<ServiceConnector> GetConnectorAsync(Guid id, CancellationToken ct) => Connectors.GetAsync(id, EntityKind.ServiceConnector, ct);

    public Task DeleteConnectorAsync(Guid id, CancellationToken ct) => db.ServiceConnectors.DeleteAsync(id, EntityKind.ServiceConnector, ct);
}
