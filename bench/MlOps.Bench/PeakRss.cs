namespace MlOps.Bench;

/// <summary>
/// The server's peak resident memory per phase, as the kernel records it (VmHWM), reset at each phase's start by writing
/// 5 to /proc/PID/clear_refs (root, or the server's own user).
/// </summary>
public sealed class PeakRss(int pid)
{
    public List<(string Phase, double Megabytes)> Phases { get; } = [];

    public double PeakMegabytes =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:")).Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).Single();

    /// <summary>Records the phase's peak, then starts the next phase's from the memory resident now.</summary>
    public void EndPhase(string phase)
    {
        Phases.Add((phase, PeakMegabytes));
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        }
        catch (UnauthorizedAccessException)
        {
            // not allowed here: later phases report the peak so far
        }
    }
}
