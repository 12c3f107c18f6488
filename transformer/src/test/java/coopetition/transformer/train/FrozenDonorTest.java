package coopetition.transformer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import coopetition.transformer.config.Settings;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frozen-donor training: the donor's parts are copied in and stay bit-identical; the rest trains. */
class FrozenDonorTest {

  @Test
  void frozenPartsAreBitIdenticalAfterTrainingAndTheRestTrains(@TempDir Path tmp) throws Exception {
    Path donorRun = tmp.resolve("donor");
    TrainingRunTest.runTo(TrainingRunTest.tiny(), donorRun, TrainingRun.Start.fresh(), () -> false);
    Path donorFile = CheckpointHistory.fileFor(donorRun, 960);
    Weights donor = Weights.read(donorFile);

    Settings s = TrainingRunTest.tiny().with("train_data", "icl_only").with("train_seqs", "480").with("ckpt_every", "240")
        .with("donor", donorFile.toString()).with("donor_parts", "layer2, unembed").with("init_seed", "9");
    Path run = tmp.resolve("run");
    TrainingRunTest.runTo(s, run, TrainingRun.Start.fresh(), () -> false);
    Weights start = Weights.read(CheckpointHistory.fileFor(run, 0));
    Weights end = Weights.read(CheckpointHistory.fileFor(run, 480));
    int frozen = 0;
    for (String name : end.arrays().keySet()) {
      boolean isFrozen = name.startsWith("block1.") || name.startsWith("ln_final.") || name.startsWith("unembed.");
      if (isFrozen) {
        assertArrayEquals(donor.array(name), end.array(name), name + " must stay the donor's, bit for bit");
        frozen++;
      } else if (!name.contains("ln1.beta") && !name.endsWith(".bias")) {
        assertFalse(Arrays.equals(start.array(name), end.array(name)), name + " must train");
      }
    }
    assertEquals(8, frozen); // block1 ln1 gamma/beta, qkv, proj; ln_final gamma/beta; unembed weight/bias
  }

  @Test
  void badDonorSettingsAreOneLine(@TempDir Path tmp) {
    Settings s = TrainingRunTest.tiny().with("donor", tmp.resolve("x.bin").toString()).with("donor_parts", "layer3");
    UserInputException e = assertThrows(UserInputException.class,
        () -> TrainingRunTest.runTo(s, tmp.resolve("r"), TrainingRun.Start.fresh(), () -> false));
    assertEquals("donor_parts", e.field().orElseThrow());
    assertTrue(e.problem().contains("unknown model part 'layer3'"), e.problem());
    UserInputException noDonor = assertThrows(UserInputException.class, () -> TrainingRunTest.runTo(
        TrainingRunTest.tiny().with("donor_parts", "unembed"), tmp.resolve("r2"), TrainingRun.Start.fresh(), () -> false));
    assertEquals("donor_parts", noDonor.field().orElseThrow());
  }
}
