package coopetition.app.toy;

import coopetition.toymodel.ToyConfig;
import picocli.CommandLine.Option;

/** The model's parameters as CLI options; defaults are the paper's setting (ToyConfig.paper()). */
public final class ModelOptions {
  @Option(names = "--na", description = "Size of a (mechanism 1).")
  int na = 20;
  @Option(names = "--nb", description = "Size of b (shared).")
  int nb = 20;
  @Option(names = "--nc", description = "Size of c (shared).")
  int nc = 20;
  @Option(names = "--nd", description = "Size of d (mechanism 2).")
  int nd = 160;
  @Option(names = "--alpha", description = "Weight of the competition cost.")
  double alpha = 0.1;
  @Option(names = "--mu1", description = "Offset of L1 in (L1 + mu1)(L2 + mu2).")
  double mu1 = 0.1;
  @Option(names = "--mu2", description = "Offset of L2 in (L1 + mu1)(L2 + mu2).")
  double mu2 = 0.0;
  @Option(names = {"--lambda", "--weight-decay"}, description = "Weight decay lambda: adds lambda/2 |theta|^2.")
  double lambda = 0.0;
  @Option(names = "--init-scale", description = "Initial values are this times standard normals.")
  double initScale = 1.0;
  // The paper's seed 7 names a JAX random stream that Java cannot reproduce; with our streams seed 0
  // shows the paper's whole story (plateau, mechanism 1 learned, mechanism 2 takes over, L1 returns).
  @Option(names = "--seed", description = "Seed of targets and initial values (0 shows the full transience story;"
      + " 2, 7 and 9 stay on the plateau).")
  long seed = 0;

  /** Validated config (throws UserInputException with one line on bad values). */
  public ToyConfig toConfig() {
    return new ToyConfig(na, nb, nc, nd, alpha, mu1, mu2, lambda, initScale, seed);
  }
}
