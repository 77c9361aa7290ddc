using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// The embedded default (one silo on SQLite and its frontends), started by the generator when no URL is
/// given: built if its binaries are missing, fresh data in a temporary directory, free loopback ports, its
/// own supervisor password. Disposing stops exactly the processes it started.
/// </summary>
public sealed class EmbeddedSystem : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"orleans-support-load-{Guid.NewGuid():N}");
    private readonly List<Process> _processes = [];
    private bool _keepDirectory;

    public List<Uri> Frontends { get; } = [];
    public string SupervisorUser => "supervisor";
    public string SupervisorPassword { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    public IEnumerable<(string Name, int Pid)> Processes => _processes.Select(p => (Name(p), p.Id));

    public static async Task<EmbeddedSystem> StartAsync(int frontends, TextWriter progress, CancellationToken cancel)
    {
        var root = FindRepository();
        var silo = await EnsureBuiltAsync(root, "Silo", "OrleansSupport.Silo.dll", progress, cancel);
        var web = await EnsureBuiltAsync(root, "WebFrontend", "OrleansSupport.WebFrontend.dll", progress, cancel);

        var system = new EmbeddedSystem();
        try
        {
            Directory.CreateDirectory(system._directory);
            var gatewayPort = Loopback.FreePort();
            var shared = system.SharedEnvironment(gatewayPort);
            var siloProcess = system.Launch("silo", silo, shared, new()
            {
                ["Storage__Provider"] = "Sqlite",
                ["Storage__ConnectionString"] = $"Data Source={Path.Combine(system._directory, "orleans-support.db")}",
                ["Cluster__SiloPort"] = Loopback.FreePort().ToString(),
                ["Health__Urls"] = $"http://127.0.0.1:{Loopback.FreePort()}",
            });
            await Loopback.WaitUntilListeningAsync(gatewayPort, siloProcess, TimeSpan.FromSeconds(90), cancel);
            for (var i = 0; i < frontends; i++)
            {
                var url = new Uri($"http://127.0.0.1:{Loopback.FreePort()}");
                var process = system.Launch($"web{i}", web, shared, new() { ["ASPNETCORE_URLS"] = url.ToString() });
                await WaitUntilServingAsync(url, process, cancel);
                system.Frontends.Add(url);
            }

            progress.WriteLine($"embedded default: silo pid {siloProcess.Id}, frontends {string.Join(", ", system.Frontends)} (data in {system._directory})");
            return system;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Its logs say why: keep them, and say where.
            system._keepDirectory = true;
            await system.DisposeAsync();
            throw new InvalidOperationException($"The embedded default did not start: {ex.Message} Logs: {system._directory}", ex);
        }
    }

    private Dictionary<string, string> SharedEnvironment(int gatewayPort) => new()
    {
        ["Cluster__Mode"] = "Localhost",
        ["Cluster__GatewayPort"] = gatewayPort.ToString(),
        ["Accounts__Supervisor__UserName"] = SupervisorUser,
        ["Accounts__Supervisor__Password"] = SupervisorPassword,
        ["DataProtection__KeysDirectory"] = Path.Combine(_directory, "keys"),
        // Benchmarks run at any hour: the Russian line is kept open, and all load comes from one address.
        ["Support__Languages__1__AlwaysOpen"] = "true",
        ["Support__Limits__SessionsPerAddressPerMinute"] = "0",
        ["Support__Limits__LoginAttemptsPerAddressPerHour"] = "0",
        ["Logging__LogLevel__Default"] = "Warning",
        // As run.sh starts them: two glibc heaps per process (docs/benchmarks.md, P5).
        ["MALLOC_ARENA_MAX"] = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "2",
    };

    private Process Launch(string name, string dll, Dictionary<string, string> shared, Dictionary<string, string> own)
    {
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in shared.Concat(own))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        var log = new StreamWriter(Path.Combine(_directory, $"{name}.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Frontends first, then the silo: each is asked to stop (SIGTERM) and killed if it does not.
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                _ = SendTerminate(process.Id, 15);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            process.Dispose();
        }

        if (_keepDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A log still open somewhere; the temporary directory is cleared by the system later.
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendTerminate(int pid, int signal);

    private static string Name(Process p) => p.StartInfo.ArgumentList.Count > 0 ? Path.GetFileNameWithoutExtension(p.StartInfo.ArgumentList[0]) : "process";

    private static string FindRepository()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "OrleansSupport.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("The embedded default is started from the OrleansSupport repository: run the generator inside it, or give --url.");
    }

    private static async Task<string> EnsureBuiltAsync(string root, string project, string dll, TextWriter progress, CancellationToken cancel)
    {
        var path = Path.Combine(root, project, "bin", "Release", "net10.0", dll);
        if (File.Exists(path))
        {
            return path;
        }

        progress.WriteLine($"building {project} (Release)...");
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(root, project), "-c", "Release", "--nologo", "-v", "quiet"]))!;
        await build.WaitForExitAsync(cancel);
        return build.ExitCode == 0 && File.Exists(path) ? path : throw new InvalidOperationException($"{project} did not build.");
    }

    private static async Task WaitUntilServingAsync(Uri url, Process process, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < TimeSpan.FromSeconds(90); await Task.Delay(250, cancel))
        {
            EnsureRunning(process);
            try
            {
                if ((await http.GetAsync("/health", cancel)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
        }

        throw new TimeoutException($"The frontend at {url} was not healthy within 90 s.");
    }

    private static void EnsureRunning(Process process)
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"{Name(process)} exited with code {process.ExitCode} while starting.");
        }
    }
}
