namespace MlOps.Data.Entities;

/// <summary>A row that belongs to exactly one workspace; the DbContext filters and stamps it centrally.</summary>
public interface IWorkspaceOwned
{
    Guid WorkspaceId { get; set; }
}
