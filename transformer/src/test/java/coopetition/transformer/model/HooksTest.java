package coopetition.transformer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import coopetition.common.UserInputException;
import coopetition.transformer.model.HookPoint.Site;
import coopetition.transformer.model.Transformer.Output;
import coopetition.transformer.model.Transformer.Readout;
import coopetition.transformer.runtime.Torch;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HooksTest {
  static NDManager manager;

  @BeforeAll
  static void setUp() {
    Torch.configure(1);
    manager = Torch.newManager(ai.djl.Device.cpu());
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  static Stream<Arguments> models() {
    return Stream.of(PositionalEncoding.values())
        .flatMap(pos -> Stream.of(Arguments.of(pos, 0), Arguments.of(pos, 2)));
  }

  static NDArray examples(NDManager m, long seed, int b, int p) {
    return m.create(TransformerTest.randomExamples(new Random(seed), b, p, 6), new Shape(b, p, 6))
        .toType(DataType.FLOAT32, false);
  }

  static NDArray labels(NDManager m, long seed, int b, int p) {
    return m.create(TransformerTest.randomLabels(new Random(seed), b, p, 5), new Shape(b, p));
  }

  @ParameterizedTest
  @MethodSource("models")
  void readingTheCacheChangesNothingAndCoversEveryHookPoint(PositionalEncoding pos, int mlp) {
    ModelConfig c = TransformerTest.tiny(pos, mlp);
    try (NDManager m = manager.newSubManager(); Parameters p = Parameters.initialise(c, 5, m, DataType.FLOAT32)) {
      Transformer model = new Transformer(p);
      NDArray x = examples(m, 1, 3, 4);
      NDArray y = labels(m, 2, 3, 4);
      for (Readout readout : Readout.values()) {
        Output plain = model.forward(x, y, readout, false);
        assertTrue(plain.cache().isEmpty());
        Output read = model.forward(x, y, readout, false, Hooks.NONE.cacheAll());
        assertArrayEquals(plain.logits().toFloatArray(), read.logits().toFloatArray(), 0f);
        assertEquals(HookPoint.all(c), List.copyOf(read.cache().keySet()), "every hook point, in pass order");
        // Shapes of a few, and the cache holds the pass's own arrays.
        assertEquals(new Shape(3, 2, 7, 4), read.cache().get(HookPoint.of(Site.V, 1)).getShape());
        assertEquals(new Shape(3, 2, 7, 7), read.cache().get(HookPoint.of(Site.SCORES, 0)).getShape());
        assertEquals(new Shape(3, 7, 8), read.cache().get(HookPoint.of(Site.RESID_POST, 1)).getShape());
        assertTrue(read.logits() == read.cache().get(HookPoint.of(Site.LOGITS)));
        // Asking for one point caches that one only.
        Output one = model.forward(x, y, readout, false, Hooks.NONE.cache(HookPoint.of(Site.PATTERN, 1)));
        assertEquals(Set.of(HookPoint.of(Site.PATTERN, 1)), one.cache().keySet());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void replacingAnActivationByItsCleanValueIsBitIdentical(PositionalEncoding pos, int mlp) {
    ModelConfig c = TransformerTest.tiny(pos, mlp);
    try (NDManager m = manager.newSubManager(); Parameters p = Parameters.initialise(c, 6, m, DataType.FLOAT32)) {
      Transformer model = new Transformer(p);
      NDArray x = examples(m, 3, 2, 3);
      NDArray y = labels(m, 4, 2, 3);
      Output clean = model.forward(x, y, Readout.ALL_EXEMPLARS, false, Hooks.NONE.cacheAll());
      float[] expected = clean.logits().toFloatArray();
      for (HookPoint point : HookPoint.all(c)) {
        // A copy, so that a hook point that ignored its override could not pass by aliasing.
        NDArray same = clean.cache().get(point).duplicate();
        float[] got = model.forward(x, y, Readout.ALL_EXEMPLARS, false,
            Hooks.NONE.override(point, Intervention.replace(same))).logits().toFloatArray();
        assertArrayEquals(expected, got, 0f, point.name());
        // Restricted to a head and a position, through the masked path.
        Intervention part = point.site().perHead()
            ? Intervention.map(v -> v.duplicate()).onHeads(1).atPositions(2)
            : Intervention.map(v -> v.duplicate()).atPositions(1);
        if (point.site() != Site.LN_FINAL && point.site() != Site.LOGITS) {
          got = model.forward(x, y, Readout.ALL_EXEMPLARS, false, Hooks.NONE.override(point, part))
              .logits().toFloatArray();
          assertArrayEquals(expected, got, 0f, point.name() + " restricted");
        }
        // And an override that does change it is felt downstream (the hook point is live; a shift alone
        // would not move a softmax, hence the scale).
        float[] moved = model.forward(x, y, Readout.ALL_EXEMPLARS, false,
            Hooks.NONE.override(point, Intervention.map(v -> v.mul(1.5f).add(0.25f)))).logits().toFloatArray();
        assertFalse(Arrays.equals(expected, moved), point.name() + " override had no effect");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void ablatingEveryHeadMakesTheOutputIndependentOfTheContext(PositionalEncoding pos, int mlp) {
    ModelConfig c = TransformerTest.tiny(pos, mlp);
    try (NDManager m = manager.newSubManager(); Parameters p = Parameters.initialise(c, 7, m, DataType.FLOAT32)) {
      Transformer model = new Transformer(p);
      Hooks ablate = Hooks.NONE;
      for (int l = 0; l < c.depth(); l++) {
        ablate = ablate.override(HookPoint.of(Site.V, l), Intervention.zero());
      }
      NDArray x1 = examples(m, 5, 2, 4);
      NDArray y1 = labels(m, 6, 2, 4);
      // Same query exemplar, other context exemplars and labels.
      NDArray x2 = examples(m, 7, 2, 4);
      x2.set(new NDIndex(":, 3"), x1.get(":, 3"));
      NDArray y2 = y1.add(1).mod(5);
      float[] a = model.forward(x1, y1, Readout.QUERY, false, ablate).logits().toFloatArray();
      float[] b = model.forward(x2, y2, Readout.QUERY, false, ablate).logits().toFloatArray();
      assertArrayEquals(a, b, 0f);
      // Without the ablation the context matters (the test could fail).
      assertFalse(Arrays.equals(model.queryLogits(x1, y1).toFloatArray(), model.queryLogits(x2, y2).toFloatArray()));
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void clampingAPatternToOneTokenCopiesThatTokensValue(PositionalEncoding pos, int mlp) {
    ModelConfig c = TransformerTest.tiny(pos, mlp);
    try (NDManager m = manager.newSubManager(); Parameters p = Parameters.initialise(c, 8, m, DataType.FLOAT32)) {
      Transformer model = new Transformer(p);
      NDArray x = examples(m, 9, 2, 3);
      NDArray y = labels(m, 10, 2, 3);
      int layer = 1;
      int head = 1;
      int token = 1; // the first label token
      int t = 5;
      float[] oneHot = new float[t * t];
      for (int row = 0; row < t; row++) {
        oneHot[row * t + token] = 1;
      }
      NDArray clamp = m.create(oneHot, new Shape(1, 1, t, t)).broadcast(new Shape(2, c.numHeads(), t, t));
      HookPoint z = HookPoint.of(Site.Z, layer);
      HookPoint v = HookPoint.of(Site.V, layer);
      Output out = model.forward(x, y, Readout.QUERY, false, Hooks.NONE.cache(z, v)
          .override(HookPoint.of(Site.PATTERN, layer), Intervention.replace(clamp).onHeads(head)));
      NDArray value = out.cache().get(v).get(new NDIndex(":, {}, {}", head, token)); // [B, hd]
      for (int row = 0; row < t; row++) {
        NDArray got = out.cache().get(z).get(new NDIndex(":, {}, {}", head, row));
        assertArrayEquals(value.toFloatArray(), got.toFloatArray(), 1e-6f, "row " + row);
      }
      // The other head keeps its own pattern: its output at the query is not token 1's value.
      NDArray other = out.cache().get(z).get(new NDIndex(":, 0, {}", t - 1));
      NDArray otherValue = out.cache().get(v).get(new NDIndex(":, 0, {}", token));
      assertFalse(Arrays.equals(other.toFloatArray(), otherValue.toFloatArray()));
    }
  }

  @Test
  void hookNamesRoundTripAndAreDocumentedInTheLensStyle() {
    ModelConfig c = TransformerTest.tiny(PositionalEncoding.LEARNED, 2);
    List<HookPoint> all = HookPoint.all(c);
    assertEquals(4 + 2 * 11 + 2, all.size());
    for (HookPoint point : all) {
      assertEquals(point, HookPoint.parse(point.name(), c));
    }
    assertEquals("blocks.0.attn.hook_pattern", HookPoint.of(Site.PATTERN, 0).name());
    assertEquals("blocks.1.hook_resid_post", HookPoint.of(Site.RESID_POST, 1).name());
    Set<String> rotaryAttentionOnly = HookPoint.all(TransformerTest.tiny(PositionalEncoding.ROTARY, 0)).stream()
        .map(HookPoint::name).collect(Collectors.toSet());
    assertFalse(rotaryAttentionOnly.contains("hook_pos_embed"));
    assertFalse(rotaryAttentionOnly.contains("blocks.0.hook_mlp_out"));
    assertEquals(HeadRef.parse(" 1:0", c), new HeadRef(1, 0));
  }

  @Test
  void badHookNamesAndHeadsGiveOneLineNamingTheField() {
    ModelConfig eightHeads = new ModelConfig(6, 5, 16, 8, 2, 16, PositionalEncoding.LEARNED, 30, 0);
    UserInputException e = assertThrows(UserInputException.class,
        () -> HookPoint.parse("blocks.0.attn.hook_patern", eightHeads));
    assertEquals("hook", e.field().orElseThrow());
    assertTrue(e.problem().contains("blocks.0.attn.hook_patern"), e.problem());
    e = assertThrows(UserInputException.class, () -> HookPoint.parse("blocks.2.hook_resid_pre", eightHeads));
    assertEquals("hook", e.field().orElseThrow());
    e = assertThrows(UserInputException.class, () -> HeadRef.parse("3:9", eightHeads));
    assertEquals("heads", e.field().orElseThrow());
    assertTrue(e.problem().contains("3:9") && e.problem().contains("8 heads"), e.problem());
    assertEquals("heads", assertThrows(UserInputException.class, () -> HeadRef.parse("1:8", eightHeads))
        .field().orElseThrow());
    assertEquals("heads", assertThrows(UserInputException.class, () -> HeadRef.parse("one", eightHeads))
        .field().orElseThrow());
    assertFalse(e.getMessage().contains("\n"), "one line");
    try (NDManager m = manager.newSubManager();
        Parameters p = Parameters.initialise(eightHeads, 5, m, DataType.FLOAT32)) {
      Transformer model = new Transformer(p);
      NDArray x = examples(m, 1, 1, 3);
      NDArray y = labels(m, 2, 1, 3);
      Map<Hooks, String> bad = Map.of(
          Hooks.NONE.override(HookPoint.of(Site.V, 1), Intervention.zero().onHeads(9)), "heads",
          Hooks.NONE.override(HookPoint.of(Site.RESID_PRE, 1), Intervention.zero().onHeads(0)), "heads",
          Hooks.NONE.cache(HookPoint.of(Site.Q, 2)), "hook",
          Hooks.NONE.override(HookPoint.of(Site.PATTERN, 0), Intervention.zero().atPositions(5)), "positions",
          Hooks.NONE.override(HookPoint.of(Site.V, 0), Intervention.replace(m.zeros(new Shape(1, 8, 4, 2)))),
          "hook");
      bad.forEach((hooks, field) -> {
        UserInputException u = assertThrows(UserInputException.class,
            () -> model.forward(x, y, Readout.QUERY, false, hooks));
        assertEquals(field, u.field().orElseThrow(), u.problem());
        assertFalse(u.getMessage().contains("\n"));
      });
    }
  }

  /**
   * The training path ({@link Hooks#NONE}) does no work per pass: one shared pass-through object (no
   * allocation, no validation), and each hook point hands back the very array it was given. This is the
   * cheap stand-in for the bench ratio, which needs an idle machine.
   */
  @Test
  void noHooksIsASharedPassThroughThatReturnsTheSameArray() {
    ModelConfig c = TransformerTest.tiny(PositionalEncoding.LEARNED, 0);
    Hooks.Pass pass = Hooks.NONE.open(c);
    assertTrue(pass == Hooks.NONE.open(c), "one shared pass for every forward pass");
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.zeros(new Shape(2, 3));
      for (Site s : Site.values()) {
        assertTrue(pass.at(s, -1, x) == x, s.name());
      }
      assertTrue(pass.cache().isEmpty());
    }
  }
}
