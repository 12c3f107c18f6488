package coopetition.comparison.fit;

import coopetition.common.UserInputException;

/**
 * How hard the fit searches. The toy-time horizon bounds say how many toy time units the last
 * transformer point may correspond to; they bound tau (sequences per toy time unit).
 *
 * @param restarts CMA-ES runs per variant; the first starts at the model's typical values, the
 *     others at random values of the model's parameters, each with tau and t0 set so that the toy's
 *     transitions line up with the run's
 * @param evaluationsPerRun toy solves allowed to one CMA-ES run
 * @param polish how many of the best global-search results get a long Levenberg–Marquardt polish
 *     (200 iterations); every other result gets a short one (60)
 * @param resamplePoints points per curve the objective uses, picked evenly in time or log-time
 * @param logTime pick the points evenly in log(sequences) instead of sequences
 * @param bootstrap bootstrap refits over time points (0 = none)
 * @param threads worker threads (variants, restarts and bootstrap replicates run in parallel)
 * @param randomSeed seeds every random choice, so a fit is reproducible
 * @param minHorizon smallest toy time at the last point
 * @param maxHorizon largest toy time at the last point
 * @param typicalHorizon toy time at the last point for the first search's start
 * @param progress show a progress bar on stderr
 * @param profile compute the joint intervals by profile likelihood (a few thousand extra solves)
 */
public record FitSettings(
    int restarts,
    int evaluationsPerRun,
    int polish,
    int resamplePoints,
    boolean logTime,
    int bootstrap,
    int threads,
    long randomSeed,
    double minHorizon,
    double maxHorizon,
    double typicalHorizon,
    boolean progress,
    boolean profile) {

  public FitSettings {
    UserInputException.requireField(restarts >= 1, "restarts", "must be >= 1, got " + restarts);
    UserInputException.requireField(evaluationsPerRun >= 50, "evaluationsPerRun",
        "must be >= 50, got " + evaluationsPerRun);
    UserInputException.requireField(polish >= 1, "polish", "must be >= 1, got " + polish);
    UserInputException.requireField(resamplePoints >= 10, "resamplePoints", "must be >= 10, got " + resamplePoints);
    UserInputException.requireField(bootstrap >= 0, "bootstrap", "must be >= 0, got " + bootstrap);
    UserInputException.requireField(threads >= 1, "threads", "must be >= 1, got " + threads);
    UserInputException.requireField(minHorizon > 0 && minHorizon < maxHorizon, "minHorizon",
        "toy horizon bounds must satisfy 0 < min < max, got [" + minHorizon + ", " + maxHorizon + "]");
    UserInputException.requireField(typicalHorizon >= minHorizon && typicalHorizon <= maxHorizon, "typicalHorizon",
        "typical toy horizon " + typicalHorizon + " must lie in [" + minHorizon + ", " + maxHorizon + "]");
  }

  public static FitSettings defaults() {
    return new FitSettings(3, 800, 3, 120, false, 30, Runtime.getRuntime().availableProcessors(), 1L,
        1500, 40000, 12000, false, true);
  }

  public FitSettings withBootstrap(int b) {
    return new FitSettings(restarts, evaluationsPerRun, polish, resamplePoints, logTime, b, threads, randomSeed,
        minHorizon, maxHorizon, typicalHorizon, progress, profile);
  }

  public FitSettings withRandomSeed(long s) {
    return new FitSettings(restarts, evaluationsPerRun, polish, resamplePoints, logTime, bootstrap, threads, s,
        minHorizon, maxHorizon, typicalHorizon, progress, profile);
  }

  public FitSettings withThreads(int t) {
    return new FitSettings(restarts, evaluationsPerRun, polish, resamplePoints, logTime, bootstrap, t, randomSeed,
        minHorizon, maxHorizon, typicalHorizon, progress, profile);
  }

  public FitSettings withProfile(boolean on) {
    return new FitSettings(restarts, evaluationsPerRun, polish, resamplePoints, logTime, bootstrap, threads,
        randomSeed, minHorizon, maxHorizon, typicalHorizon, progress, on);
  }

  public FitSettings withProgress(boolean on) {
    return new FitSettings(restarts, evaluationsPerRun, polish, resamplePoints, logTime, bootstrap, threads,
        randomSeed, minHorizon, maxHorizon, typicalHorizon, on, profile);
  }

  public FitSettings withSearch(int restarts, int evaluationsPerRun, int polish) {
    return new FitSettings(restarts, evaluationsPerRun, polish, resamplePoints, logTime, bootstrap, threads,
        randomSeed, minHorizon, maxHorizon, typicalHorizon, progress, profile);
  }

  public FitSettings withHorizon(double min, double max, double typical) {
    return new FitSettings(restarts, evaluationsPerRun, polish, resamplePoints, logTime, bootstrap, threads,
        randomSeed, min, max, typical, progress, profile);
  }
}
