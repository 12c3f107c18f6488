package coopetition.transformer.donor;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Presets;
import coopetition.transformer.config.Settings;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sizes of {@code ./coop reproduce}: the two runs with a checkpoint history it trains when none is given
 * (a normal run for Figs 1b-3c and the 4a donor, a CIWL-only run for the 4b/4c donors) and the Fig 4 child
 * trainings. {@code quick} is sized so that {@code reproduce all} fits 90 minutes on 2 idle cores;
 * {@code paper} has the authors' model and data sizes, for a GPU (the Fig 4 child lengths are our choice: the
 * paper does not give them).
 *
 * @param name quick or paper
 * @param mainPreset preset of the normal run, with {@code main} on top (history schedule)
 * @param ciwlPreset preset of the CIWL-only run, with {@code ciwl} on top
 * @param fig4aSeqs sequences of each 4a child
 * @param fig4bDonors donor checkpoints of the CIWL-only run for 4b (nearest stored ones)
 * @param fig4bSeqs sequences of each 4b child
 * @param fig4cFrom CIWL-only checkpoints continued on normal data for 4c
 * @param fig4cSeqs sequences of each 4c child
 * @param evals evals per child
 * @param recorded the training speed used for estimates until this output has measured its own
 * @param secondsPerNetwork recorded time to evaluate one stored network (attention or graft) for the estimate
 * @param networkSource where that time comes from
 */
public record ReproductionScale(String name, String mainPreset, Map<String, String> main, String ciwlPreset,
    Map<String, String> ciwl, long fig4aSeqs, List<Long> fig4bDonors, long fig4bSeqs, List<Long> fig4cFrom,
    long fig4cSeqs, int evals, Throughput recorded, double secondsPerNetwork, String networkSource) {

  public ReproductionScale {
    main = Map.copyOf(main);
    ciwl = Map.copyOf(ciwl);
    fig4bDonors = List.copyOf(fig4bDonors);
    fig4cFrom = List.copyOf(fig4cFrom);
  }

  /**
   * 2 CPU cores, one training at a time: 3M + 1M history runs, 4a 2 x 400k, 4b 9 x 250k, 4c 4 x 500k = 9.05M
   * training sequences (38 min at the recorded 4 000 seq/s) plus about 220 stored networks to analyse (6 min):
   * about 45 minutes in all.
   */
  public static final ReproductionScale QUICK = new ReproductionScale("quick", "quick", Map.of("ckpt_every", "50000"),
      "ciwl-only", Map.of("train_seqs", "1000000", "ckpt_every", "50000"), 400_000,
      List.of(0L, 50_000L, 100_000L, 150_000L, 200_000L, 300_000L, 500_000L, 1_000_000L), 250_000,
      List.of(50_000L, 150_000L, 300_000L, 1_000_000L), 500_000, 20,
      new Throughput(4000, "recorded: reference-runs/quick, 3M sequences in 12.5 min with threads=1 on an idle"
          + " 2-core machine (a loaded machine is slower: ~400-900 seq/s at load 10-20)"), 1.6,
      "recorded: reproduce 2a 3a 3b 3c pt on 32 quick checkpoints, about 114 networks in 3.1 min on the shared machine");

  /**
   * The authors' model and data (paper-main: K 12 800, 512-d, lr 1e-5, 20M sequences) with a checkpoint every
   * 100k; a CIWL-only run of 5M; children of 2M-4M. No GPU run of this pipeline exists yet, so its speed is a
   * guess to be replaced by the first measurement (timing.csv).
   */
  public static final ReproductionScale PAPER = new ReproductionScale("paper", "paper-main",
      Map.of("ckpt_every", "100000"), "paper-main",
      Map.of("train_data", "ciwl_only", "train_seqs", "5000000", "ckpt_every", "100000"), 2_000_000,
      List.of(0L, 250_000L, 500_000L, 1_000_000L, 1_500_000L, 2_000_000L, 3_000_000L, 5_000_000L), 2_000_000,
      List.of(500_000L, 1_000_000L, 2_000_000L, 5_000_000L), 4_000_000, 20,
      new Throughput(3000, "assumed, not measured: no GPU run of the paper scale exists yet"), 0.5,
      "assumed, not measured");

  /** The same scale with every Fig 4 child {@code seqs} long (a shorter, cheaper reproduction). */
  public ReproductionScale withChildSeqs(long seqs) {
    return new ReproductionScale(name, mainPreset, main, ciwlPreset, ciwl, seqs, fig4bDonors, seqs, fig4cFrom, seqs, evals,
        recorded, secondsPerNetwork, networkSource);
  }

  public static ReproductionScale byName(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "quick" -> QUICK;
      case "paper" -> PAPER;
      default -> throw UserInputException.forField("scale", "unknown scale '" + name + "'; use quick or paper");
    };
  }

  /** The normal run's settings, with the user's overrides last. */
  public Settings mainSettings(Map<String, String> overrides) {
    return Presets.byName(mainPreset).settings().withAll(main).withAll(overrides);
  }

  /** The CIWL-only run's settings, with the user's overrides last. */
  public Settings ciwlSettings(Map<String, String> overrides) {
    return Presets.byName(ciwlPreset).settings().withAll(ciwl).withAll(overrides);
  }

  public DonorStudy study(long seqs, Map<String, String> overrides) {
    return new DonorStudy(seqs, evals, overrides);
  }
}
