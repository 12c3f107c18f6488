package coopetition.transformer.data;

import coopetition.common.AtomicFiles;
import coopetition.common.UserInputException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal reader and writer for NumPy {@code .npy} files holding a 3-D float32/float64 C-order array
 * {@code [classes, exemplars, dim]}. The format is a magic string, a Python-dict header and raw data
 * (numpy.org/doc/stable/reference/generated/numpy.lib.format.html); this is all a feature bank needs,
 * so no library is pulled in for it.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Reads a 3-D float array; any problem is a one-line {@link UserInputException} naming the file. */
  public static DenseBank read(Path file) {
    try (InputStream raw = Files.newInputStream(file)) {
      ReadableByteChannel ch = Channels.newChannel(raw);
      ByteBuffer pre = readFully(ch, 10, file);
      for (int i = 0; i < MAGIC.length; i++) {
        if (pre.get(i) != MAGIC[i]) {
          throw bad(file, "does not start with the .npy magic string");
        }
      }
      int major = pre.get(6) & 0xFF;
      int headerLen;
      if (major == 1) {
        headerLen = pre.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF;
      } else if (major == 2 || major == 3) {
        ByteBuffer two = readFully(ch, 2, file);
        headerLen = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
            .put(pre.get(8)).put(pre.get(9)).put(two.get(0)).put(two.get(1)).getInt(0);
        if (headerLen < 0 || headerLen > (1 << 20)) {
          throw bad(file, "has an implausible header length " + headerLen);
        }
      } else {
        throw bad(file, "has unsupported .npy format version " + major);
      }
      String header = StandardCharsets.ISO_8859_1.decode(readFully(ch, headerLen, file)).toString();
      Matcher descr = DESCR.matcher(header);
      Matcher fortran = FORTRAN.matcher(header);
      Matcher shapeM = SHAPE.matcher(header);
      if (!descr.find() || !fortran.find() || !shapeM.find()) {
        throw bad(file, "has a malformed header " + header.trim());
      }
      if (fortran.group(1).equals("True")) {
        throw bad(file, "is Fortran-ordered; save it with numpy.ascontiguousarray");
      }
      String d = descr.group(1);
      ByteOrder order;
      if (d.startsWith("<") || d.startsWith("|")) {
        order = ByteOrder.LITTLE_ENDIAN;
      } else if (d.startsWith(">")) {
        order = ByteOrder.BIG_ENDIAN;
      } else {
        order = ByteOrder.nativeOrder();
      }
      String type = d.replaceFirst("^[<>|=]", "");
      int width;
      if (type.equals("f4")) {
        width = 4;
      } else if (type.equals("f8")) {
        width = 8;
      } else {
        throw bad(file, "has dtype '" + d + "'; convert it to float32 (astype('float32'))");
      }
      String[] dims = shapeM.group(1).split(",");
      long[] shape = new long[3];
      int n = 0;
      for (String s : dims) {
        if (s.isBlank()) {
          continue;
        }
        if (n == 3) {
          n++;
          break;
        }
        shape[n++] = Long.parseLong(s.trim());
      }
      if (n != 3) {
        throw bad(file, "has shape (" + shapeM.group(1).trim() + "); a feature bank must be 3-D [classes, exemplars, dim]");
      }
      long total = shape[0] * shape[1] * shape[2];
      if (total <= 0 || total > Integer.MAX_VALUE - 8) {
        throw bad(file, "has shape (" + shapeM.group(1).trim() + ") with " + total + " elements; need 1..2^31");
      }
      float[] data = new float[(int) total];
      ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(order);
      int filled = 0;
      while (filled < total) {
        buf.clear();
        long want = Math.min((long) buf.capacity() / width, total - filled) * width;
        buf.limit((int) want);
        while (buf.hasRemaining()) {
          if (ch.read(buf) < 0) {
            throw bad(file, "is truncated: shape (" + shapeM.group(1).trim() + ") needs " + total * width
                + " data bytes, found " + ((long) filled * width + buf.position()));
          }
        }
        buf.flip();
        if (width == 4) {
          int k = buf.remaining() / 4;
          buf.asFloatBuffer().get(data, filled, k);
          filled += k;
        } else {
          while (buf.hasRemaining()) {
            data[filled++] = (float) buf.getDouble();
          }
        }
      }
      String desc = String.format(Locale.ROOT, "npy:%s [%d, %d, %d] %s", file, shape[0], shape[1], shape[2],
          width == 4 ? "float32" : "float64");
      return new DenseBank(data, (int) shape[0], (int) shape[1], (int) shape[2], desc);
    } catch (NoSuchFileException e) {
      throw new UserInputException("feature bank file " + file + " does not exist; check the path after file:");
    } catch (NumberFormatException e) {
      throw bad(file, "has a non-integer shape entry");
    } catch (IOException e) {
      throw new UserInputException("cannot read feature bank " + file + ": " + e.getMessage() + "; check the file and its permissions");
    }
  }

  /** Writes a float32 C-order {@code [classes, exemplars, dim]} array (atomically). */
  public static void write(Path file, float[] data, int classes, int exemplars, int dim) {
    if ((long) classes * exemplars * dim != data.length) {
      throw new IllegalArgumentException("data length " + data.length + " != product of shape");
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + classes + ", " + exemplars + ", " + dim + "), }";
    // Header padded with spaces so magic+len+dict+'\n' is a multiple of 64, as the format asks.
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    AtomicFiles.write(file, out -> {
      DataOutputStream dos = new DataOutputStream(out);
      dos.write(MAGIC);
      dos.write(1);
      dos.write(0);
      dos.write(header.length() & 0xFF);
      dos.write(header.length() >>> 8);
      dos.write(header.getBytes(StandardCharsets.ISO_8859_1));
      ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : data) {
        if (!bb.hasRemaining()) {
          dos.write(bb.array(), 0, bb.position());
          bb.clear();
        }
        bb.putFloat(v);
      }
      dos.write(bb.array(), 0, bb.position());
      dos.flush();
    });
  }

  private static ByteBuffer readFully(ReadableByteChannel ch, int n, Path file) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw bad(file, "is truncated (ends inside the header)");
      }
    }
    b.flip();
    return b;
  }

  private static UserInputException bad(Path file, String what) {
    return new UserInputException("feature bank " + file + " " + what + "; give a 3-D float32 .npy [classes, exemplars, dim]");
  }
}
