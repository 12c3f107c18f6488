package coopetition.transformer.train;

import com.fasterxml.jackson.databind.JsonNode;
import coopetition.common.AtomicFiles;
import coopetition.common.Json;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one framing shared by resume checkpoints ({@link Checkpoint}) and history weights ({@link Weights}):
 * magic, header length, a JSON header, then float32 arrays little-endian in header order.
 */
final class ArrayFiles {
  private ArrayFiles() {}

  /** Writes atomically: a killed process leaves the previous file intact. */
  static void write(Path file, byte[] magic, JsonNode header, Iterable<float[]> arrays) {
    byte[] json = Json.toJson(header).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, raw -> {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
      out.write(magic);
      out.writeInt(json.length);
      out.write(json);
      for (float[] a : arrays) {
        ByteBuffer bb = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(a);
        out.write(bb.array());
      }
      out.flush();
    });
  }

  /** Reads {@code n} little-endian floats. */
  static float[] readFloats(DataInputStream in, long n) throws IOException {
    byte[] bytes = new byte[Math.toIntExact(n * 4)];
    in.readFully(bytes);
    float[] a = new float[(int) n];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
    return a;
  }

  /** The header's {@code shapes} object as name -> shape, in file order. */
  static Map<String, long[]> shapes(JsonNode shapes) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : shapes.properties()) {
      long[] s = new long[e.getValue().size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = e.getValue().get(i).asLong();
      }
      out.put(e.getKey(), s);
    }
    return out;
  }

  static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
