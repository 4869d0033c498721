namespace MlOps.Data.Entities;

/// <summary>
/// A row whose documents are read, changed and written back (a task's artifacts, a model's metadata): each write
/// checks that nobody wrote it since the request first read it, and counts up, so concurrent writers never silently
/// lose one another's change (see <see cref="MlOpsDbContext"/>).
/// </summary>
public interface IVersioned
{
    Guid Id { get; }
    long Version { get; set; }
}
