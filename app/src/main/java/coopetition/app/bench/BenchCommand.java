package coopetition.app.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./coop bench <what>}: benchmarks that print a table and ratios against a peer measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Benchmarks: each prints a table and ratios against a peer measured in the same run.",
    subcommands = {
        CommandLine.HelpCommand.class,
        coopetition.app.bench.ToyBenchCommand.class,
        coopetition.app.bench.TrainBenchCommand.class,
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
