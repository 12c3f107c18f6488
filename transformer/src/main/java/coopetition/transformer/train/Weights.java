package coopetition.transformer.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.common.Json;
import coopetition.common.UserInputException;
import coopetition.transformer.model.Parameters;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a network at one point of training, without optimiser state: one file of a run's
 * checkpoint history (the resume checkpoint keeps the Adam moments; these do not need them).
 *
 * <p>Format: magic, a JSON header (seqs, step, the run's settings, array names and shapes), then the arrays
 * as little-endian float32 in header order.
 *
 * @param seqs sequences seen when the weights were taken
 * @param step optimiser steps taken
 * @param settings the flat settings of the run that wrote them
 * @param shapes name → shape, in the model's canonical order
 * @param arrays name → values, row-major
 */
public record Weights(long seqs, long step, Map<String, String> settings, Map<String, long[]> shapes,
    Map<String, float[]> arrays) {

  private static final byte[] MAGIC = "COOPWEIGHTS1\n".getBytes(StandardCharsets.US_ASCII);

  public Weights {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
    arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    if (!shapes.keySet().equals(arrays.keySet())) {
      throw new IllegalArgumentException("shapes " + shapes.keySet() + " and arrays " + arrays.keySet() + " differ");
    }
  }

  /** Copies the live parameters (one device read per array). */
  public static Weights capture(long seqs, long step, Map<String, String> settings, Parameters params) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    Map<String, float[]> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      shapes.put(e.getKey(), e.getValue().getShape().getShape());
      arrays.put(e.getKey(), e.getValue().toFloatArray());
    }
    return new Weights(seqs, step, settings, shapes, arrays);
  }

  /** The parameters of a resume checkpoint (checkpoint.bin), which also holds optimiser state. */
  public static Weights of(Checkpoint c) {
    Map<String, long[]> shapes = ArrayFiles.shapes(c.header().get("shapes"));
    Checkpoint.State st = c.state();
    Map<String, String> settings = new LinkedHashMap<>();
    c.header().get("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
    return new Weights(st.seqs(), st.step(), settings, shapes, c.params());
  }

  /** Writes atomically (temporary sibling, then move): a killed run never leaves a half file. */
  public void write(Path file) {
    ObjectNode h = Json.object();
    h.put("format", "coopetition transformer weights v1");
    h.put("seqs", seqs);
    h.put("step", step);
    ObjectNode s = h.putObject("settings");
    settings.forEach(s::put);
    ObjectNode sh = h.putObject("shapes");
    shapes.forEach((name, shape) -> {
      var a = sh.putArray(name);
      for (long d : shape) {
        a.add(d);
      }
    });
    ArrayFiles.write(file, MAGIC, h, arrays.values());
  }

  /** Whether {@code file} is a weights (history) file, as opposed to a resume checkpoint or anything else. */
  public static boolean isWeightsFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads a weights file, or a resume checkpoint (checkpoint.bin); one clear line if it is neither. */
  public static Weights read(Path file) {
    String fix = "; give a file of RUN/" + CheckpointHistory.DIR + "/ or a checkpoint.bin written by ./coop train";
    if (!Files.isRegularFile(file)) {
      throw new UserInputException("weights file " + file + " does not exist" + fix);
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        in.close();
        return of(Checkpoint.read(file)); // a resume checkpoint, or Checkpoint's own one-line error
      }
      int len = in.readInt();
      UserInputException.require(len > 0 && len < (64 << 20), "weights file " + file + " is corrupt (header length " + len + ")" + fix);
      byte[] json = new byte[len];
      in.readFully(json);
      JsonNode h = Json.MAPPER.readTree(json);
      Map<String, String> settings = new LinkedHashMap<>();
      h.get("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
      Map<String, long[]> shapes = ArrayFiles.shapes(h.get("shapes"));
      Map<String, float[]> arrays = new LinkedHashMap<>();
      for (Map.Entry<String, long[]> e : shapes.entrySet()) {
        arrays.put(e.getKey(), ArrayFiles.readFloats(in, ArrayFiles.size(e.getValue())));
      }
      return new Weights(h.get("seqs").asLong(), h.get("step").asLong(), settings, shapes, arrays);
    } catch (EOFException e) {
      throw new UserInputException("weights file " + file + " is truncated" + fix);
    } catch (IOException | RuntimeException e) {
      if (e instanceof UserInputException u) {
        throw u;
      }
      throw new UserInputException("weights file " + file + " is unreadable (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")" + fix);
    }
  }

  /** The values of {@code name}; fails if there is no such array. */
  public float[] array(String name) {
    float[] a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no array " + name + " in weights at " + seqs + " seqs");
    }
    return a;
  }

  /**
   * Throws one line naming the first parameter of {@code params} that these weights lack or hold in
   * another shape (a file of another model's settings), with {@code what} naming the file for the user.
   */
  public void checkCompatible(Parameters params, String what) {
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      long[] want = e.getValue().getShape().getShape();
      long[] got = shapes.get(e.getKey());
      if (got == null) {
        throw new UserInputException(what + " has no parameter " + e.getKey()
            + "; it comes from a model of other settings (use weights of the same model: classes, dim, d_model, depth ...)");
      }
      if (!Arrays.equals(want, got)) {
        throw new UserInputException(what + " has " + e.getKey() + " of shape " + Arrays.toString(got)
            + " but this model needs " + Arrays.toString(want)
            + "; use weights of the same model settings (classes, dim, d_model, depth ...)");
      }
    }
    if (shapes.size() != params.arrays().size()) {
      throw new UserInputException(what + " has " + shapes.size() + " parameters but this model has "
          + params.arrays().size() + "; use weights of the same model settings");
    }
  }

  /** Copies these values into live parameters of the same shapes (check with {@link #checkCompatible} first). */
  public void restoreInto(Parameters target) {
    for (Map.Entry<String, NDArray> e : target.arrays().entrySet()) {
      Parameters.assign(e.getValue(), array(e.getKey()));
    }
  }
}
