package coopetition.app.train;

import coopetition.app.FigureFormats;
import coopetition.app.FlagNames;
import coopetition.common.UserInputException;
import coopetition.transformer.config.Settings;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.train.Checkpoint;
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
import picocli.CommandLine.Parameters;

/** {@code ./coop train resume DIR}: continues an interrupted run from its checkpoint, exactly. */
@Command(name = "resume", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Continue the run in DIR from its checkpoint.bin; metrics.csv comes out as if it had never stopped."
        + " The settings come from the checkpoint; only train_seqs (to train longer), ckpt_every, threads and device"
        + " may be --set.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:finished, or interrupted with a checkpoint", "2:bad input", "3:training diverged"})
public final class ResumeCommand implements Callable<Integer>, FlagNames {
  /** Settings that change neither the model nor the numbers of the steps still to come. */
  static final List<String> CHANGEABLE = List.of("train_seqs", "ckpt_every", "threads", "device");

  @Parameters(index = "0", paramLabel = "DIR", description = "run directory of an interrupted ./coop train")
  Path dir;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "change train_seqs, ckpt_every, threads or device")
  List<String> sets = new ArrayList<>();

  @Option(names = "--device", description = "cpu, gpu or auto; overrides the device setting")
  String device;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  boolean noProgress;

  @Mixin
  FigureFormats formats = new FigureFormats();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Path ckpt = dir.resolve(TrainingRun.CHECKPOINT);
    if (!Files.isRegularFile(ckpt)) {
      throw new UserInputException("no " + ckpt + "; give the directory of an interrupted ./coop train");
    }
    Settings settings = Checkpoint.read(ckpt).config(ckpt).toSettings();
    for (String s : sets) {
      settings = settings.withAssignment(s);
      String key = s.substring(0, s.indexOf('=')).trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
      UserInputException.requireField(CHANGEABLE.contains(key), "set", "resume keeps the checkpoint's settings; only "
          + String.join(", ", CHANGEABLE) + " may change (got " + key + ")");
    }
    if (device != null) {
      settings = settings.with("device", device);
    }
    TrainConfig config = TrainConfig.from(settings);
    List<String> line = new ArrayList<>(List.of("resume", dir.toString()));
    sets.forEach(s -> line.addAll(List.of("--set", s)));
    TrainingRun run = RunLauncher.newRun(config, dir, RunLauncher.command(line.toArray(String[]::new)), formats);
    return RunLauncher.launch(run, new TrainingRun.Start(ckpt, null, false), dir, !noProgress, spec.commandLine().getErr());
  }

  @Override
  public String flagFor(String field) {
    return field.equals("device") && device != null ? "--device" : SettingFlags.flagFor(field);
  }
}
