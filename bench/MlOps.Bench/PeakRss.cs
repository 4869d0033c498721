namespace MlOps.Bench;

/// <summary>The server's peak resident memory, as the kernel records it (VmHWM).</summary>
public sealed class PeakRss(int pid)
{
    public double PeakMegabytes =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:")).Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).Single();
}
