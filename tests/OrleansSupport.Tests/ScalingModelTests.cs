using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansSupport.ScalingModel;

namespace OrleansSupport.Tests;

/// <summary>
/// tools/ScalingModel on the checked-in costs and small targets: it must give what this box was seen to do,
/// move the way its inputs move, and take every cost from text that docs/benchmarks.md holds.
/// </summary>
public sealed class ScalingModelTests
{
    private static readonly string ModelDirectory = Path.Combine(Repository.Root, "tools", "ScalingModel");

    private static readonly string CostsPath = Path.Combine(ModelDirectory, "costs.json");

    private static CostSheet Costs => CostFile.Load(CostsPath);

    [Fact]
    public void This_box_holds_P1s_idle_sessions_on_one_frontend_and_one_silo()
    {
        var box = Target("box");
        var plan = CapacityModel.Plan(Costs, box);

        // The box target is P1: the most sessions one frontend held.
        Assert.Equal(Costs.LargestMeasuredConnectionsPerFrontend.Value, box.Sessions);
        Assert.Equal(1, plan.Frontends.Needed);
        Assert.Equal(1, plan.Silos.Needed);
        Assert.Empty(plan.Frontends.Notes);
    }

    [Fact]
    public void P1_clusters_50001_sessions_take_three_frontends_under_the_open_files_cap_as_the_run_had()
    {
        var plan = CapacityModel.Plan(Costs, Target("box") with { Sessions = 50_001 });

        Assert.Equal(3, plan.Frontends.Needed);
        Assert.Equal("open files", plan.Frontends.Binding);
    }

    [Fact]
    public void Frontends_grow_with_sessions_whichever_limit_binds()
    {
        foreach (var openFiles in new int?[] { null, 10_000_000 })
        {
            var box = Target("box");
            var machine = box.Machine with { OpenFilesPerProcess = openFiles };
            var counts = new[] { 19_000, 100_000, 400_000, 1_000_000, 4_000_000 }
                .Select(sessions => CapacityModel.Plan(Costs, box with { Sessions = sessions, Machine = machine }).Frontends.Needed)
                .ToList();

            Assert.True(counts.Zip(counts.Skip(1)).All(pair => pair.First <= pair.Second), string.Join(", ", counts));
            Assert.True(counts[^1] > counts[0], string.Join(", ", counts));
        }
    }

    [Fact]
    public void At_a_million_sessions_the_binding_limit_is_the_one_the_inputs_make_largest()
    {
        var costs = Costs;
        var million = Target("million");
        var plan = CapacityModel.Plan(costs, million);
        var frontends = plan.Frontends;

        // One file per connection, and each session's memory on top of a process at rest: both from costs.json.
        var byFiles = (int)Math.Ceiling(million.Sessions / costs.OpenFilesPerProcess.Value);
        var memoryEachKiB = (million.Machine.MemoryGiB * million.Headroom * 1024 - costs.ProcessMemoryAtRest.Value) * 1024;
        var byMemory = (int)Math.Ceiling(million.Sessions * costs.FrontendMemoryPerSession.Value / memoryEachKiB);
        Assert.Equal(byFiles, Bound(frontends, "open files").MachinesNeeded);
        Assert.Equal(byMemory, Bound(frontends, "memory").MachinesNeeded);

        Assert.Equal(frontends.Bounds.Max(b => b.MachinesNeeded), frontends.Needed);
        Assert.Equal(frontends.Needed, Bound(frontends, frontends.Binding).MachinesNeeded);
        Assert.Equal(byFiles >= frontends.Bounds.Max(b => b.MachinesNeeded), frontends.Binding == "open files");

        // Lifted beyond the sessions, the cap no longer binds, and CPU or memory set a count no larger.
        var lifted = CapacityModel.Plan(costs, million with { Machine = million.Machine with { OpenFilesPerProcess = million.Sessions } }).Frontends;
        Assert.NotEqual("open files", lifted.Binding);
        Assert.Equal(lifted.Needed, Bound(lifted, lifted.Binding).MachinesNeeded);
        Assert.True(lifted.Needed <= frontends.Needed);
    }

    [Fact]
    public void The_hottest_queue_is_held_against_the_ceiling_of_costs_json_and_bigger_machines_do_not_raise_it()
    {
        var costs = Costs;
        var million = Target("million");
        var plan = CapacityModel.Plan(costs, million);

        Assert.Equal(million.HottestQueueArrivalsPerSecond / costs.HotQueueAdmissionsCeiling.Value, plan.HottestQueue.Utilisation, 9);
        Assert.Equal(costs.HotQueueAdmissionsCeiling.Value, plan.HottestQueue.Ceiling);
        var hottest = plan.Limits.Single(l => l.Where == "hottest queue");
        Assert.Equal(costs.HotQueueAdmissionsCeiling.Value, hottest.CapacityPerUnit);
        Assert.Equal(plan.HottestQueue.Utilisation, hottest.Utilisation);
        Assert.Equal(plan.Limits.Max(l => l.Utilisation), plan.FirstLimit.Utilisation);

        // Four times the cores and memory: fewer machines or as many, the one grain exactly as full.
        var bigger = CapacityModel.Plan(costs, million with { Machine = million.Machine with { Cores = 4 * million.Machine.Cores, MemoryGiB = 4 * million.Machine.MemoryGiB } });
        Assert.True(bigger.Silos.Needed <= plan.Silos.Needed && bigger.Frontends.Needed <= plan.Frontends.Needed);
        Assert.Equal(plan.HottestQueue.Utilisation, bigger.HottestQueue.Utilisation);
        Assert.False(bigger.Limits.Single(l => l.Where == "hottest queue").ScalesOut);
    }

    [Fact]
    public void The_hot_queue_ceiling_is_one_grains_cited_joins_and_dequeues_taken_in_turn()
    {
        // Every arrival is joined and dequeued: the grain's sustained rate is 1 / (1/joins + 1/dequeues), rounded down.
        var rates = CostFile.Load(CostsPath).HotQueueAdmissionsCeiling.Source.Cites
            .Select(c => c.Text.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length > 4 && cells[3].EndsWith("64 callers", StringComparison.Ordinal))
            .ToDictionary(cells => cells[3].Split(',')[0], cells => double.Parse(cells[4], NumberStyles.AllowThousands, CultureInfo.InvariantCulture));

        Assert.Equal(Math.Floor(1 / (1 / rates["join"] + 1 / rates["dequeue"])), Costs.HotQueueAdmissionsCeiling.Value);
    }

    [Fact]
    public void PostgreSQL_takes_a_page_row_per_message_and_no_more_commits_than_the_silos_writers_make()
    {
        var costs = Costs;
        var million = Target("million");
        var plan = CapacityModel.Plan(costs, million);

        Assert.Equal(million.ChatMessagesPerSecond * costs.StorageRowsPerChatMessage.Value, plan.Storage.MessageRowsPerSecond);
        Assert.True(plan.Storage.CommitsPerSecondAtMost <= plan.Silos.Needed * 1000 / costs.StorageCommitMs.Value + 1e-6);
        Assert.True(plan.Storage.CommitsPerSecondAtMost <= plan.Storage.WritesPerSecond);

        // Twice the messages: twice the transcript bytes, and the queues' rows do not move.
        var twice = CapacityModel.Plan(costs, million with { ChatMessagesPerSecond = 2 * million.ChatMessagesPerSecond });
        Assert.Equal(2 * plan.Storage.MessageBytesPerSecond, twice.Storage.MessageBytesPerSecond, 6);
        Assert.Equal(plan.Storage.QueueRowsPerSecond, twice.Storage.QueueRowsPerSecond);
    }

    [Fact]
    public void Every_cost_cites_text_of_docs_benchmarks_md_under_the_heading_it_names()
    {
        var benchmarks = File.ReadAllText(Path.Combine(Repository.Root, "docs", "benchmarks.md"));
        using var file = JsonDocument.Parse(File.ReadAllText(CostsPath));
        var costs = file.RootElement.GetProperty("costs").EnumerateObject().ToList();
        Assert.Equal(typeof(CostSheet).GetProperties().Count(p => p.PropertyType == typeof(MeasuredCost)), costs.Count);

        var problems = new List<string>();
        foreach (var cost in costs)
        {
            var source = cost.Value.GetProperty("source");
            var measuredAt = source.GetProperty("measuredAt").GetString()!;
            var cited = new List<string>();
            foreach (var cite in source.GetProperty("cites").EnumerateArray())
            {
                var heading = cite.GetProperty("section").GetString()!;
                var text = Normalised(cite.GetProperty("text").GetString()!);
                if (Section(benchmarks, heading) is not { } section)
                {
                    problems.Add($"{cost.Name}: docs/benchmarks.md has no heading '## {heading}'");
                    continue;
                }

                cited.Add(section);
                if (!section.Contains(text, StringComparison.Ordinal))
                {
                    problems.Add($"{cost.Name}: '{text}' is not under '## {heading}'");
                }
            }

            if (cited.Count == 0)
            {
                problems.Add($"{cost.Name}: cites nothing");
            }
            else if (!cited.Any(section => section.Contains(measuredAt, StringComparison.Ordinal)))
            {
                problems.Add($"{cost.Name}: '{measuredAt}' is not named in the sections it cites");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_command_line_prints_the_librarys_plan_as_json_as_a_table_and_step_by_step()
    {
        var box = Path.Combine(ModelDirectory, "targets", "box.json");
        var plan = CapacityModel.Plan(Costs, Target("box"));

        var printed = JsonSerializer.Deserialize<JsonElement>(Invoke("--costs", CostsPath, "--target", box, "--json"));
        Assert.Equal(plan.Frontends.Needed, printed.GetProperty("frontends").GetProperty("needed").GetInt32());
        Assert.Equal(plan.Silos.Needed, printed.GetProperty("silos").GetProperty("needed").GetInt32());
        Assert.Equal(plan.FirstLimit.Resource, printed.GetProperty("firstLimit").GetProperty("resource").GetString());

        Assert.Contains($"Frontends: {plan.Frontends.Needed}, bound by {plan.Frontends.Binding}", Invoke("--costs", CostsPath, "--target", box));

        var steps = Invoke("--costs", CostsPath, "--target", box, "--path", "0.5", "1", "2").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 + 3, steps.Length);
    }

    [Fact]
    public void A_target_that_contradicts_itself_is_refused_with_its_problem_named()
    {
        var (code, _, error) = Run("--costs", CostsPath, "--target", Path.Combine(ModelDirectory, "targets", "box.json"), "--scale", "-1");

        Assert.Equal(2, code);
        Assert.Contains("must not be negative", error);
    }

    private static ScalingTarget Target(string name) => ScalingTarget.Load(Path.Combine(ModelDirectory, "targets", name + ".json"));

    private static ResourceBound Bound(Tier tier, string resource) => tier.Bounds.Single(b => b.Resource == resource);

    private static string Invoke(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.True(code == 0, error);
        return output;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ScalingCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>One "## " section of a markdown file, heading included, whitespace collapsed; null if the heading is missing.</summary>
    private static string? Section(string markdown, string heading)
    {
        var start = markdown.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = markdown.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return Normalised(markdown[start..(end < 0 ? markdown.Length : end)]);
    }

    private static string Normalised(string text) => Regex.Replace(text, @"\s+", " ").Trim();
}
