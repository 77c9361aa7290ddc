using System.CommandLine;
using System.Text.Json;

namespace OrleansSupport.ScalingModel;

/// <summary>The command line: reads the costs and a target, plans, and prints a table or JSON.</summary>
public static class ScalingCommand
{
    public static RootCommand Create()
    {
        var costs = new Option<FileInfo>("--costs")
        {
            Description = "The measured unit costs.",
            DefaultValueFactory = _ => Beside("costs.json"),
        };
        var target = new Option<FileInfo>("--target")
        {
            Description = "The load and the machines to plan for.",
            DefaultValueFactory = _ => Beside("targets", "million.json"),
        };
        var scale = new Option<double>("--scale")
        {
            Description = "Multiply the target's load (sessions, messages, waiting, arrivals) by this.",
            DefaultValueFactory = _ => 1,
        };
        var path = new Option<double[]>("--path")
        {
            Description = "Plan the target at each of these scales, one line each, e.g. --path 0.02 0.1 1.",
            AllowMultipleArgumentsPerToken = true,
        };
        var openFiles = new Option<int?>("--open-files")
        {
            Description = "Open files per process on the target's machines (default: the target's, else the 20,000 measured here).",
        };
        var json = new Option<bool>("--json") { Description = "Print the plan (with --path: every plan) as JSON." };

        var command = new RootCommand(
            "How many frontends and silos, and how much PostgreSQL, a load needs, from the costs measured in docs/benchmarks.md.")
        {
            costs, target, scale, path, openFiles, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(scale) is not null && result.GetResult(path) is not null)
            {
                result.AddError("--scale and --path do not go together: --path gives the scales.");
            }
        });
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            try
            {
                var sheet = CostFile.Load(parse.GetValue(costs)!.FullName);
                var planned = ScalingTarget.Load(parse.GetValue(target)!.FullName);
                if (parse.GetValue(openFiles) is { } files)
                {
                    planned = planned with { Machine = planned.Machine with { OpenFilesPerProcess = files } };
                }

                var steps = (parse.GetValue(path) is { Length: > 0 } scales ? scales : [parse.GetValue(scale)])
                    .Select(s => (Scale: s, Plan: CapacityModel.Plan(sheet, planned.Scaled(s))))
                    .ToList();
                var isPath = parse.GetResult(path) is not null;
                if (parse.GetValue(json))
                {
                    output.WriteLine(isPath
                        ? JsonSerializer.Serialize(steps.Select(s => s.Plan), ModelJson.Options)
                        : JsonSerializer.Serialize(steps[0].Plan, ModelJson.Options));
                }
                else if (isPath)
                {
                    PathTable.Write(steps, output);
                }
                else
                {
                    PlanTable.Write(steps[0].Plan, output);
                }

                return 0;
            }
            catch (Exception e) when (e is IOException or JsonException or ArgumentException or InvalidDataException)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    private static FileInfo Beside(params string[] parts) => new(Path.Combine([AppContext.BaseDirectory, .. parts]));
}
