using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using static MlOps.Data.Entities.ExperimentStatus;

namespace MlOps.Data.Tests;

public sealed class LifecycleTests
{
    [Theory]
    [InlineData(Created, Queued, true)]
    [InlineData(Created, InProgress, true)]
    [InlineData(Created, Completed, false)]
    [InlineData(Queued, InProgress, true)]
    [InlineData(InProgress, Completed, true)]
    [InlineData(Completed, Published, true)]
    [InlineData(Published, Created, false)]
    [InlineData(Published, Published, false)]
    [InlineData(InProgress, InProgress, true)]
    public void Experiments_move_only_along_ClearMls_task_state_machine(ExperimentStatus from, ExperimentStatus to, bool allowed)
    {
        Assert.Equal(allowed, ExperimentLifecycle.CanMove(from, to, force: false));
        Assert.True(ExperimentLifecycle.CanMove(from, to, force: true));
    }
}
