using MlOps.Data.Entities;
using static MlOps.Data.Entities.ExperimentStatus;

namespace MlOps.Data.Repositories;

/// <summary>Which status an experiment may move to from which (ClearML's task state machine, shared by every surface).</summary>
public static class ExperimentLifecycle
{
    private static readonly Dictionary<ExperimentStatus, ExperimentStatus[]> Allowed = new()
    {
        [Created] = [Queued, InProgress],
        [Queued] = [Created, InProgress, Stopped],
        [InProgress] = [Stopped, Failed, Created, Completed],
        [Stopped] = [Closed, Created, Failed, Queued, InProgress, Published, Publishing, Completed],
        [Closed] = [Created, Failed, Published, Publishing, Stopped],
        [Failed] = [Created, Stopped, Published, Queued],
        [Publishing] = [Published],
        [Published] = [],
        [Completed] = [Published, InProgress, Created],
        [Unknown] = [],
    };

    /// <summary>Staying in the same status is allowed (publishing again is not); anything is, when forced.</summary>
    public static bool CanMove(ExperimentStatus from, ExperimentStatus to, bool force) =>
        force || (from == to && to != Published) || Allowed[from].Contains(to);
}
