using OrleansSupport.ScalingModel;

// The machines a load needs, from the unit costs measured in docs/benchmarks.md; docs/scaling.md shows its output.
return ScalingCommand.Create().Parse(args).Invoke();
