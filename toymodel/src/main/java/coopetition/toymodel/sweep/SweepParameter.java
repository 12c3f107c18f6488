package coopetition.toymodel.sweep;

import coopetition.common.UserInputException;
import coopetition.toymodel.ToyConfig;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A config parameter a sweep axis ({@code KEY=v1,v2,...}) can set. Errors about a value name the
 * parameter's {@link #field()}, as ToyConfig's own checks do.
 */
public enum SweepParameter {
  NA("na", true), NB("nb", true), NC("nc", true), ND("nd", true),
  ALPHA("alpha", false), MU1("mu1", false), MU2("mu2", false),
  LAMBDA("lambda", false), INIT_SCALE("init-scale", false);

  private final String key;
  private final boolean integer;

  SweepParameter(String key, boolean integer) {
    this.key = key;
    this.integer = integer;
  }

  public String key() {
    return key;
  }

  /** The ToyConfig field this parameter sets, as its validation errors name it. */
  public String field() {
    return key.replace('-', '_');
  }

  /** {@code base} with this parameter set to {@code v} (validated by ToyConfig). */
  public ToyConfig apply(ToyConfig base, double v) {
    if (integer && (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE)) {
      throw UserInputException.forField(field(), "is a vector size and needs whole numbers, got " + v);
    }
    int n = (int) v;
    return switch (this) {
      case NA -> base.withDims(n, base.nb(), base.nc(), base.nd());
      case NB -> base.withDims(base.na(), n, base.nc(), base.nd());
      case NC -> base.withDims(base.na(), base.nb(), n, base.nd());
      case ND -> base.withDims(base.na(), base.nb(), base.nc(), n);
      case ALPHA -> base.withAlpha(v);
      case MU1 -> base.withMu1(v);
      case MU2 -> base.withMu2(v);
      case LAMBDA -> base.withWeightDecay(v);
      case INIT_SCALE -> base.withInitScale(v);
    };
  }

  public static SweepParameter parse(String key) {
    return lookup(key).orElseThrow(() -> unknown(key));
  }

  /** The parameter a key names (case, dashes or underscores, and the alias weight-decay aside). */
  public static java.util.Optional<SweepParameter> lookup(String key) {
    String k = key.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    for (SweepParameter p : values()) {
      if (p.key.equals(k) || ("weight-decay".equals(k) && p == LAMBDA)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }

  private static UserInputException unknown(String key) {
    return UserInputException.forField(SweepSpec.AXES, "unknown parameter '" + key + "'; use one of "
        + Arrays.stream(values()).map(SweepParameter::key).collect(Collectors.joining(", ")));
  }
}
