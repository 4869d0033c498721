using MlOps.Data.Entities;

namespace MlOps.Api.Platform;

/// <summary>
/// How a flat parameter name (Comet's, MLflow's) maps onto the shared (section, name), in one place: <c>"section/name"</c>
/// is hyperparameter (section, name); a name without "/" lives in section <c>General</c> (where ClearML's
/// <c>task.connect(dict)</c> puts it) and reads back without the prefix.
/// </summary>
public static class ParameterNames
{
    public const string DefaultSection = "General";

    public static (string Section, string Name) Split(string name)
    {
        var slash = name.IndexOf('/');
        return slash > 0 && slash < name.Length - 1 ? (name[..slash], name[(slash + 1)..]) : (DefaultSection, name);
    }

    public static string Join(ExperimentParameter parameter) => Join(parameter.Section, parameter.Name);

    public static string Join(string section, string name) =>
        section == DefaultSection || section.Length == 0 ? name : $"{section}/{name}";
}
