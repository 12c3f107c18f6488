package coopetition.app.train;

import coopetition.app.FigureFormats;
import coopetition.app.FlagNames;
import coopetition.common.UserInputException;
import coopetition.transformer.config.Presets;
import coopetition.transformer.config.Settings;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./coop train}: trains the ICL-transience transformer into a new run directory. Its other modes
 * are subcommands: {@code resume DIR}, {@code replot DIR}, {@code compare RUN...}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Train the 2-layer ICL-transience transformer (PAPER-SETUP §3-4) into a new run directory --out:"
        + " config.json, metrics.csv, curves.png/svg, checkpoint.bin. Ctrl-C finishes the step, checkpoints and exits;"
        + " 'train resume DIR' continues it exactly.",
        "A run whose training loss becomes NaN or infinite stops at once (exit 3), keeping what it wrote before."},
    subcommands = {ResumeCommand.class, ReplotCommand.class, CompareCommand.class},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:finished, or interrupted with a checkpoint", "2:bad input (one line names it)",
        "3:training diverged: a non-finite loss (one line names the step and the last good checkpoint)"})
public final class TrainCommand implements Callable<Integer>, FlagNames {

  @Option(names = "--preset", description = "starting configuration: a name (see --list-presets) or a FILE.conf",
      defaultValue = "quick")
  String preset;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting; repeatable (keys: --list-presets)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", description = "run directory (default runs/PRESET)")
  Path out;

  @Option(names = "--init-from", paramLabel = "CKPT", description = "start the new run from these parameters: a checkpoint.bin or a history file RUN/checkpoints/seqs_N.bin")
  Path initFrom;

  @Option(names = "--init-optimizer", description = "with --init-from: also take the checkpoint's Adam state")
  boolean initOptimiser;

  @Option(names = "--list-presets", description = "print every preset and every setting with its default, then exit")
  boolean listPresets;

  @Option(names = "--device", description = "cpu, gpu or auto (a GPU when DJL finds one); overrides the device setting")
  String device;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  boolean noProgress;

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (listPresets) {
      PresetList.print(System.out);
      return 0;
    }
    Presets.Preset p = Presets.byName(preset);
    Path dir = out != null ? out : Path.of("runs", p.name());
    Settings settings = p.settings();
    for (String s : sets) {
      settings = settings.withAssignment(s);
    }
    if (device != null) {
      settings = settings.with("device", device);
    }
    TrainConfig config = TrainConfig.from(settings);
    if (Files.exists(dir.resolve(TrainingRun.CHECKPOINT))) {
      throw new UserInputException(dir + " already holds a run; continue it with ./coop train resume " + dir
          + " or choose another --out");
    }
    UserInputException.require(!initOptimiser || initFrom != null, "--init-optimizer needs --init-from CKPT (a checkpoint.bin: history files hold no Adam state)");
    if (initFrom != null && !Files.isRegularFile(initFrom)) {
      throw new UserInputException("--init-from " + initFrom + " does not exist; give a checkpoint.bin of an earlier run");
    }
    TrainingRun.Start start = new TrainingRun.Start(null, initFrom, initOptimiser);
    TrainingRun run = RunLauncher.newRun(config, dir, RunLauncher.command(commandLine(dir)), formats);
    return RunLauncher.launch(run, start, dir, !noProgress, spec.commandLine().getErr());
  }

  @Override
  public String flagFor(String field) {
    return field.equals("device") && device != null ? "--device" : SettingFlags.flagFor(field);
  }

  private String[] commandLine(Path dir) {
    List<String> c = new ArrayList<>(List.of("--preset", preset));
    for (String s : sets) {
      c.add("--set");
      c.add(s);
    }
    c.add("--out");
    c.add(dir.toString());
    if (device != null) {
      c.add("--device");
      c.add(device);
    }
    if (initFrom != null) {
      c.add("--init-from");
      c.add(initFrom.toString());
    }
    if (initOptimiser) {
      c.add("--init-optimizer");
    }
    return c.toArray(String[]::new);
  }
}
