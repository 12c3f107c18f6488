package coopetition.app;

import coopetition.app.bench.BenchCommand;
import coopetition.common.BuildInfo;
import coopetition.common.Provenance;
import coopetition.common.UserInputException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root of {@code ./coop}. Each module contributes its own commands; this class only wires them
 * together and turns bad input into one clear line and exit code 2.
 */
@Command(name = "coop", mixinStandardHelpOptions = true, versionProvider = Coop.Version.class,
    description = "Strategy coopetition toolkit: toy model, ICL-transience transformers, fits between them.",
    subcommands = {
        CommandLine.HelpCommand.class,
        BenchCommand.class,
        coopetition.app.toy.ToyCommand.class,
        coopetition.app.toy.ToySweepCommand.class,
        coopetition.app.fit.FitCommand.class,
        coopetition.app.forecast.ForecastCommand.class,
        coopetition.app.fit.DemoCommand.class,
        coopetition.app.train.TrainCommand.class,
        coopetition.app.sweep.SweepCommand.class,
        coopetition.app.mech.EvalCommand.class,
        coopetition.app.mech.AttentionCommand.class,
        coopetition.app.mech.GraftCommand.class,
        coopetition.app.mech.ReproduceCommand.class,
        coopetition.app.intervene.InterveneCommand.class,
        coopetition.app.intervene.CompositionCommand.class,
        coopetition.app.probe.ProbeCommand.class,
        coopetition.app.mech.DonorsCommand.class,
    })
public final class Coop implements Runnable {

  /** {@code --version}: the Maven version and git commit this build was made from, and MKL's kernel path. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"coopetition " + BuildInfo.current().describe(),
          "MKL kernels: " + Provenance.describeMklKernels()};
    }
  }

  /** Exit code for bad input (arguments, configs, files). */
  public static final int EXIT_USAGE = 2;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Coop());
    // `coop completion`: picocli writes a bash/zsh completion script for the whole command tree. Added
    // before the settings below, which apply to the subcommands present when they are set.
    CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
    completion.getCommandSpec().usageMessage().hidden(false)
        .description("Prints a bash/zsh completion script: source <(./coop completion)");
    cl.addSubcommand("completion", completion);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("coop " + ex.getCommandLine().getCommandName() + ": error: " + ex.getMessage()
          + " (see ./coop " + qualifiedName(ex.getCommandLine()) + " --help)");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable t = ex;
      while (t.getCause() != null && !(t instanceof UserInputException)) {
        t = t.getCause();
      }
      if (t instanceof UserInputException u) {
        commandLine.getErr().println("coop " + commandLine.getCommandName() + ": error: " + describe(u, commandLine));
        return EXIT_USAGE;
      }
      if (ex instanceof UncheckedIOException) {
        commandLine.getErr().println("coop " + commandLine.getCommandName() + ": I/O error: " + ex.getMessage());
        return 1;
      }
      throw ex;
    });
    return cl;
  }

  /**
   * The one line for a bad value. A library names the field ({@code alpha}); the user typed a flag
   * ({@code --alpha}, or {@code --set alpha=...}), so the line names the flag: the command's own
   * {@link FlagNames} when it has one, else an option spelled like the field.
   */
  static String describe(UserInputException u, CommandLine commandLine) {
    if (u.field().isEmpty()) {
      return u.getMessage();
    }
    String field = u.field().get();
    String flag = null;
    if (commandLine.getCommand() instanceof FlagNames names) {
      flag = names.flagFor(field);
    }
    if (flag == null) {
      String option = "--" + field.replace('_', '-');
      if (commandLine.getCommandSpec().findOption(option) != null) {
        flag = option;
      }
    }
    return (flag == null ? field : flag) + ": " + u.problem();
  }

  private static String qualifiedName(CommandLine cl) {
    String q = cl.getCommandSpec().qualifiedName(" ");
    return q.startsWith("coop ") ? q.substring(5) : "";
  }

  public static void main(String[] args) {
    // jhdf logs every dataset it opens at INFO; keep the console for results.
    if (System.getProperty("org.slf4j.simpleLogger.log.io.jhdf") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "error");
    }
    System.exit(commandLine().execute(args));
  }
}
