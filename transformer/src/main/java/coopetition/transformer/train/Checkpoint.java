package coopetition.transformer.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.common.Json;
import coopetition.common.UserInputException;
import coopetition.transformer.config.SettingsCodec;
import coopetition.transformer.config.TrainConfig;
import coopetition.transformer.model.Parameters;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training state on disk: parameters, Adam moments, counters and the run's config (as its settings). The random
 * state is just the step, because every batch is a pure function of (train seed, step).
 *
 * <p>Format: magic, a JSON header (settings, counters, array names and shapes), then the arrays as
 * little-endian float32 in header order: parameters, then first moments, then second moments.
 */
public record Checkpoint(ObjectNode header, Map<String, float[]> params, Map<String, float[]> mean,
    Map<String, float[]> variance) {

  private static final byte[] MAGIC = "COOPCKPT1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Counters stored in the header.
   *
   * @param lossExploded whether a step since the last eval exploded (the metrics flag; false in older checkpoints)
   */
  public record State(long step, long seqs, long adamSteps, long evalsDone, long ckptsDone, double lossSum, long lossCount,
      boolean lossExploded) {}

  public State state() {
    JsonNode s = header.get("state");
    return new State(s.get("step").asLong(), s.get("seqs").asLong(), s.get("adam_steps").asLong(),
        s.get("evals_done").asLong(), s.get("ckpts_done").asLong(), s.get("loss_sum").asDouble(),
        s.get("loss_count").asLong(), s.path("loss_exploded").asBoolean(false));
  }

  /** The config of the run that wrote it, stored as its settings; {@code source} names the file in errors. */
  public TrainConfig config(Path source) {
    Map<String, String> stored = new LinkedHashMap<>();
    header.get("settings").fields().forEachRemaining(e -> stored.put(e.getKey(), e.getValue().asText()));
    return SettingsCodec.readStored(stored, "checkpoint " + source);
  }

  public static Checkpoint capture(TrainConfig config, State state, Parameters params, Adam adam) {
    ObjectNode h = Json.object();
    h.put("format", "coopetition transformer checkpoint v1");
    ObjectNode s = h.putObject("settings");
    config.toSettings().asMap().forEach(s::put);
    ObjectNode st = h.putObject("state");
    st.put("step", state.step());
    st.put("seqs", state.seqs());
    st.put("adam_steps", state.adamSteps());
    st.put("evals_done", state.evalsDone());
    st.put("ckpts_done", state.ckptsDone());
    st.put("loss_sum", state.lossSum());
    st.put("loss_count", state.lossCount());
    st.put("loss_exploded", state.lossExploded());
    ObjectNode shapes = h.putObject("shapes");
    Map<String, float[]> p = new LinkedHashMap<>();
    Map<String, float[]> m = new LinkedHashMap<>();
    Map<String, float[]> v = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      var arr = shapes.putArray(e.getKey());
      for (long d : e.getValue().getShape().getShape()) {
        arr.add(d);
      }
      p.put(e.getKey(), e.getValue().toFloatArray());
      m.put(e.getKey(), adam.mean().get(e.getKey()).toFloatArray());
      v.put(e.getKey(), adam.variance().get(e.getKey()).toFloatArray());
    }
    return new Checkpoint(h, p, m, v);
  }

  /** Writes atomically: a killed process leaves the previous checkpoint intact. */
  public void write(Path file) {
    List<float[]> arrays = new ArrayList<>();
    for (Map<String, float[]> group : List.of(params, mean, variance)) {
      arrays.addAll(group.values());
    }
    ArrayFiles.write(file, MAGIC, header, arrays);
  }

  public static Checkpoint read(Path file) {
    String fix = "; give a checkpoint written by ./coop train (runs/NAME/checkpoint.bin)";
    if (!Files.isRegularFile(file)) {
      throw new UserInputException("checkpoint " + file + " does not exist" + fix);
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      UserInputException.require(Arrays.equals(magic, MAGIC), "checkpoint " + file + " is not a coopetition checkpoint" + fix);
      int len = in.readInt();
      UserInputException.require(len > 0 && len < (64 << 20), "checkpoint " + file + " is corrupt (header length " + len + ")" + fix);
      byte[] json = new byte[len];
      in.readFully(json);
      ObjectNode header = (ObjectNode) Json.MAPPER.readTree(json);
      Map<String, long[]> shapes = ArrayFiles.shapes(header.get("shapes"));
      Map<String, float[]> p = new LinkedHashMap<>();
      Map<String, float[]> m = new LinkedHashMap<>();
      Map<String, float[]> v = new LinkedHashMap<>();
      for (Map<String, float[]> group : List.of(p, m, v)) {
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
          group.put(e.getKey(), ArrayFiles.readFloats(in, ArrayFiles.size(e.getValue())));
        }
      }
      return new Checkpoint(header, p, m, v);
    } catch (EOFException e) {
      throw new UserInputException("checkpoint " + file + " is truncated" + fix);
    } catch (IOException | RuntimeException e) {
      if (e instanceof UserInputException u) {
        throw u;
      }
      throw new UserInputException("checkpoint " + file + " is unreadable (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")" + fix);
    }
  }

  /** Throws one line naming the first parameter whose name or shape differs from {@code params}. */
  public void checkCompatible(Parameters params, Path file) {
    JsonNode shapes = header.get("shapes");
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      JsonNode s = shapes.get(e.getKey());
      long[] want = e.getValue().getShape().getShape();
      if (s == null) {
        throw new UserInputException("checkpoint " + file + " has no parameter " + e.getKey()
            + "; it comes from a different model configuration (use a checkpoint of the same model settings)");
      }
      long[] got = new long[s.size()];
      for (int i = 0; i < got.length; i++) {
        got[i] = s.get(i).asLong();
      }
      if (!Arrays.equals(want, got)) {
        throw new UserInputException("checkpoint " + file + " has " + e.getKey() + " of shape " + Arrays.toString(got)
            + " but this configuration needs " + Arrays.toString(want)
            + "; use a checkpoint of the same model settings (classes, dim, d_model, depth ...)");
      }
    }
    if (shapes.size() != params.arrays().size()) {
      throw new UserInputException("checkpoint " + file + " has " + shapes.size() + " parameters but this model has "
          + params.arrays().size() + "; use a checkpoint of the same model settings");
    }
  }

  /** Copies the stored parameters (and, if asked, Adam state) into a live model. */
  public void restoreInto(Parameters target, Adam adam, boolean withOptimiser) {
    for (Map.Entry<String, NDArray> e : target.arrays().entrySet()) {
      Parameters.assign(e.getValue(), params.get(e.getKey()));
    }
    if (withOptimiser) {
      adam.restore(state().adamSteps(), mean, variance);
    }
  }
}
