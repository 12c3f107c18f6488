package coopetition.app.toy;

import coopetition.toymodel.Clamp;
import coopetition.toymodel.Integrator;
import coopetition.toymodel.Solver;
import coopetition.toymodel.SolverSettings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** Solver choice and settings as CLI options. */
public final class SolverOptions {
  @Option(names = "--solver", converter = SolverConverter.class,
      description = "flow, gd, flow-reduced or gd-reduced.")
  Solver solver;
  @Option(names = "--integrator", converter = IntegratorConverter.class,
      description = "Integrator of the flows: dopri5 (built in; default for flow-reduced) or a Hipparchus one:"
          + " dp853 (default for flow), dp54, hh54, gbs, adams-bashforth, adams-moulton.")
  Integrator integrator;
  @Option(names = "--rtol", description = "Relative tolerance of the integrator.")
  double rtol = 1e-8;
  @Option(names = "--atol", description = "Absolute tolerance of the integrator.")
  double atol = 1e-10;
  @Option(names = {"--lr", "--learning-rate"}, description = "GD step; iterate k sits at time k * lr.")
  double lr = 1.0;
  @Option(names = "--loss-threshold", description = "Stop and hold once Loss < this (the paper's 1e-6); 0 disables.")
  double lossThreshold = SolverSettings.PAPER_LOSS_THRESHOLD;
  @Option(names = "--clamp", paramLabel = "VEC=MODE",
      description = "Freeze a vector for the whole run at its target or initial value, e.g. a=target, b=current (repeatable).")
  List<String> clamps = new ArrayList<>();

  /** The flag of a settings field not spelled like it (clamps: the repeatable --clamp), else null. */
  static String flagFor(String field) {
    return SolverSettings.CLAMPS.equals(field) ? "--clamp" : null;
  }

  SolverOptions(Solver defaultSolver) {
    this.solver = defaultSolver;
  }

  /** Validated settings; {@code progress} asks for per-vector measures. */
  public SolverSettings toSettings(boolean events, boolean progress) {
    List<Clamp> parsed = new ArrayList<>();
    for (String c : clamps) {
      parsed.add(Clamp.parse(c));
    }
    Integrator chosen = integrator != null ? integrator : SolverSettings.defaults(solver).integrator();
    return new SolverSettings(solver, chosen, rtol, atol, lr, lossThreshold, parsed, events, progress);
  }

  /** picocli converter for solver names. */
  public static final class SolverConverter implements ITypeConverter<Solver> {
    @Override
    public Solver convert(String value) {
      try {
        return Solver.parse(value);
      } catch (coopetition.common.UserInputException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** picocli converter for integrator names. */
  public static final class IntegratorConverter implements ITypeConverter<Integrator> {
    @Override
    public Integrator convert(String value) {
      try {
        return Integrator.parse(value);
      } catch (coopetition.common.UserInputException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
