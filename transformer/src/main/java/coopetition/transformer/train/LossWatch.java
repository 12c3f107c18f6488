package coopetition.transformer.train;

/**
 * Watches every step's training loss for an explosion: a finite loss above {@value #FACTOR}·ln C, for C
 * output classes. Why that line: the untrained model predicts nearly uniformly, so training starts near
 * ln C (8.7 at K = 6144) and a healthy run only goes down from there (in the four reference runs no
 * eval interval's mean exceeds the first one's, 8.2); a loss of 10·ln C means the model puts probability C^-10 on the right class, i.e.
 * logits in the hundreds, which only blown-up weights give ({@code lr=50} reaches 2e6). A non-finite
 * loss is not handled here: it ends the run ({@link TrainingDiverged}).
 */
final class LossWatch {
  static final double FACTOR = 10;

  private final double threshold;
  private boolean sinceEval;
  private boolean previousInterval;

  LossWatch(int numClasses) {
    this.threshold = FACTOR * Math.log(numClasses);
  }

  double threshold() {
    return threshold;
  }

  /**
   * Records one step's loss; true when it is the first exploding step after a calm eval interval, so
   * that a run that stays exploded warns once rather than at every step.
   */
  boolean startsExplosion(double loss) {
    if (!(loss > threshold)) {
      return false;
    }
    boolean first = !sinceEval && !previousInterval;
    sinceEval = true;
    return first;
  }

  /** Whether a step since the previous eval exploded, without starting a new interval (checkpoints). */
  boolean sinceEval() {
    return sinceEval;
  }

  /** Continues an interval from a checkpoint (resume stays exact for the flag too). */
  void restore(boolean explodedSinceEval) {
    sinceEval = explodedSinceEval;
  }

  /** Whether a step since the previous eval exploded (the metrics flag); starts the next interval. */
  boolean takeInterval() {
    boolean exploded = sinceEval;
    previousInterval = exploded;
    sinceEval = false;
    return exploded;
  }
}
