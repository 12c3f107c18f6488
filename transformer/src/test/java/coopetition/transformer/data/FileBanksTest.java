package coopetition.transformer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coopetition.common.UserInputException;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class FileBanksTest {
  @TempDir Path dir;

  /** Values that identify their own position, so any layout mistake shows. */
  private static float value(int c, int e, int j) {
    return c * 100 + e * 10 + j + 0.25f;
  }

  private static float[] flat(int k, int ex, int d) {
    float[] a = new float[k * ex * d];
    for (int c = 0; c < k; c++) {
      for (int e = 0; e < ex; e++) {
        for (int j = 0; j < d; j++) {
          a[(c * ex + e) * d + j] = value(c, e, j);
        }
      }
    }
    return a;
  }

  private static void assertLayout(FeatureBank bank, int k, int ex, int d) {
    assertEquals(k, bank.numClasses());
    assertEquals(ex, bank.numExemplars());
    assertEquals(d, bank.dim());
    float[] buf = new float[d + 2];
    for (int c = 0; c < k; c++) {
      for (int e = 0; e < ex; e++) {
        bank.copyExemplar(c, e, buf, 2);
        for (int j = 0; j < d; j++) {
          assertEquals(value(c, e, j), buf[2 + j], 0, "element [" + c + "," + e + "," + j + "]");
        }
      }
    }
  }

  /** Asserts a one-line UserInputException whose message contains {@code fragment}. */
  private static void assertOneLineError(String fragment, Executable run) {
    UserInputException e = assertThrows(UserInputException.class, run);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  /** A hand-built .npy (independent of {@link Npy#write}) with the given header dict and payload. */
  private Path npy(String name, int major, String dict, byte[] payload) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    if (major == 1) {
      out.write(h.length & 0xFF);
      out.write(h.length >>> 8);
    } else {
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
    }
    out.write(h);
    out.write(payload);
    Path p = dir.resolve(name);
    Files.write(p, out.toByteArray());
    return p;
  }

  @Test
  void npyRoundTripFloat32() {
    Path p = dir.resolve("bank.npy");
    Npy.write(p, flat(3, 4, 5), 3, 4, 5);
    DenseBank bank = Npy.read(p);
    assertLayout(bank, 3, 4, 5);
    assertTrue(bank.describe().contains("float32"));
    assertEquals(bank.fingerprint(), Npy.read(p).fingerprint());
  }

  @Test
  void npyFloat64BigEndianAndVersion2Headers() throws IOException {
    float[] a = flat(2, 3, 4);
    ByteBuffer le = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer be = ByteBuffer.allocate(a.length * 4).order(ByteOrder.BIG_ENDIAN);
    for (float v : a) {
      le.putDouble(v);
      be.putFloat(v);
    }
    assertLayout(Npy.read(npy("f8.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3, 4), }", le.array())), 2, 3, 4);
    assertLayout(Npy.read(npy("be.npy", 2, "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3, 4), }", be.array())), 2, 3, 4);
  }

  @Test
  void npyProblemsGiveOneClearLine() throws IOException {
    byte[] four = new byte[2 * 3 * 4 * 4];
    assertOneLineError("does not exist", () -> Npy.read(dir.resolve("missing.npy")));
    Path junk = dir.resolve("junk.npy");
    Files.writeString(junk, "hello, this is not numpy");
    assertOneLineError("magic", () -> Npy.read(junk));
    Path twoD = npy("2d.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 16), }", new byte[6 * 16 * 4]);
    assertOneLineError("3-D", () -> Npy.read(twoD));
    Path ints = npy("int.npy", 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3, 4), }", four);
    assertOneLineError("float32", () -> Npy.read(ints));
    Path fortran = npy("f.npy", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }", four);
    assertOneLineError("Fortran", () -> Npy.read(fortran));
    Path truncated = npy("t.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }", new byte[50]);
    assertOneLineError("truncated", () -> Npy.read(truncated));
    Path shortHeader = dir.resolve("h.npy");
    Files.write(shortHeader, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 100, 0, '{'});
    assertOneLineError("truncated", () -> Npy.read(shortHeader));
  }

  @Test
  void hdf5WrittenByJhdfIsReadAtTheAuthorsPath() {
    Path p = dir.resolve("feat.h5");
    float[][][] data = new float[3][4][5];
    for (int c = 0; c < 3; c++) {
      for (int e = 0; e < 4; e++) {
        for (int j = 0; j < 5; j++) {
          data[c][e][j] = value(c, e, j);
        }
      }
    }
    try (WritableHdfFile f = HdfFile.write(p)) {
      WritableGroup g = f.putGroup("resnet18").putGroup("224");
      g.putDataset("feat", data);
      f.putDataset("flat", new float[] {1, 2, 3});
      double[][][] d = new double[3][4][5];
      for (int c = 0; c < 3; c++) {
        for (int e = 0; e < 4; e++) {
          for (int j = 0; j < 5; j++) {
            d[c][e][j] = value(c, e, j);
          }
        }
      }
      f.putDataset("double", d);
      f.putDataset("ints", new int[2][2][2]);
    }
    DenseBank bank = Hdf5.read(p, Hdf5.DEFAULT_DATASET);
    assertLayout(bank, 3, 4, 5);
    assertTrue(bank.describe().contains("resnet18/224/feat"), bank.describe());
    assertLayout(BankSpec.parse("file:" + p).open(null), 3, 4, 5);
    assertLayout(BankSpec.parse("file:" + p + "#double").open(null), 3, 4, 5);
    assertOneLineError("no dataset 'nope'", () -> Hdf5.read(p, "nope"));
    assertOneLineError("is a group", () -> Hdf5.read(p, "resnet18/224"));
    assertOneLineError("3-D", () -> Hdf5.read(p, "flat"));
    assertOneLineError("float32 or float64", () -> Hdf5.read(p, "ints"));
  }

  /** Copies a committed resource (made by h5py 3.16 / numpy 2.4, see docs/transformer-data.md) to the temp dir. */
  private Path resource(String name) throws IOException {
    Path p = dir.resolve(name);
    try (var in = FileBanksTest.class.getResourceAsStream(name)) {
      Files.copy(in, p);
    }
    return p;
  }

  @Test
  void filesWrittenByH5pyAndNumpyAreRead() throws IOException {
    // h5py: chunked + gzip float32 at the authors' path, and a contiguous float64 dataset.
    Path h5 = resource("h5py_bank.h5");
    assertLayout(Hdf5.read(h5, Hdf5.DEFAULT_DATASET), 3, 4, 5);
    assertLayout(BankSpec.parse("file:" + h5 + "#contiguous/feat").open(null), 3, 4, 5);
    assertLayout(Npy.read(resource("numpy_f32.npy")), 3, 4, 5);
    assertLayout(Npy.read(resource("numpy_f64.npy")), 3, 4, 5);
  }

  @Test
  void hdf5MissingOrMalformedFilesGiveOneClearLine() throws IOException {
    assertOneLineError("does not exist", () -> Hdf5.read(dir.resolve("none.h5"), Hdf5.DEFAULT_DATASET));
    Path junk = dir.resolve("junk.h5");
    Files.write(junk, new byte[4096]);
    assertOneLineError("valid HDF5", () -> Hdf5.read(junk, Hdf5.DEFAULT_DATASET));
  }

  @Test
  void bankSpecParsing() {
    assertEquals(BankSpec.Kind.SYNTHETIC, BankSpec.parse("synthetic").kind());
    BankSpec h = BankSpec.parse("file:/data/omni.h5");
    assertEquals(BankSpec.Kind.HDF5, h.kind());
    assertEquals(Path.of("/data/omni.h5"), h.path());
    assertEquals("resnet18/224/feat", h.dataset());
    BankSpec h2 = BankSpec.parse("file:x.HDF5#1/10/feat");
    assertEquals("1/10/feat", h2.dataset());
    assertEquals(BankSpec.Kind.HDF5, h2.kind());
    BankSpec n = BankSpec.parse("file:rel/bank.npy");
    assertEquals(BankSpec.Kind.NPY, n.kind());
    assertEquals(n, BankSpec.parse(n.toString()));
    assertEquals(h, BankSpec.parse(h.toString()));
    assertOneLineError("unknown bank spec", () -> BankSpec.parse("omniglot"));
    assertOneLineError("unknown extension", () -> BankSpec.parse("file:bank.csv"));
    assertOneLineError("drop the '#x'", () -> BankSpec.parse("file:bank.npy#x"));
    assertOneLineError("no path", () -> BankSpec.parse("file:"));
    assertOneLineError("empty dataset", () -> BankSpec.parse("file:a.h5#"));
    SyntheticBank.Config cfg = new SyntheticBank.Config(5, 2, 3, 0.1, 1);
    assertEquals(new SyntheticBank(cfg).fingerprint(), BankSpec.parse("synthetic").open(cfg).fingerprint());
  }

  @Test
  void splitsRangesAndChecks() {
    DenseBank bank = new DenseBank(flat(10, 4, 2), 10, 4, 2, "test bank");
    Splits s = Splits.parse("[7, 1, 2]", "3,0,1").checkAgainst(bank);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, s.classes(Splits.Part.TRAIN));
    assertArrayEquals(new int[] {7}, s.classes(Splits.Part.VAL));
    assertArrayEquals(new int[] {8, 9}, s.classes(Splits.Part.TEST));
    assertArrayEquals(new int[] {0, 1, 2}, s.exemplars(Splits.Part.TRAIN));
    assertArrayEquals(new int[] {3}, s.exemplars(Splits.Part.TEST));
    assertEquals(7, s.numTrainClasses());
    assertEquals(s, Splits.allTrain(bank).equals(s) ? null : Splits.parse("7,1,2", "3,0,1"));
    assertOneLineError("sums to 11 but test bank has 10 classes", () -> Splits.parse("8,1,2", "4,0,0").checkAgainst(bank));
    assertOneLineError("exemplar split [3, 0, 0] sums to 3", () -> Splits.parse("10,0,0", "3,0,0").checkAgainst(bank));
    assertOneLineError("3 comma-separated", () -> Splits.parse("10,0", "4,0,0"));
    assertOneLineError("non-integer", () -> Splits.parse("10,a,0", "4,0,0"));
    assertOneLineError("negative", () -> new Splits(new int[] {11, -1, 0}, new int[] {4, 0, 0}));
    assertOneLineError("no training", () -> new Splits(new int[] {0, 10, 0}, new int[] {4, 0, 0}));
  }
}
