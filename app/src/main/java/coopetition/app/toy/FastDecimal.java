package coopetition.app.toy;

/**
 * Writes doubles with 12 significant digits, several times faster than Double.toString: a
 * trajectory CSV holds ~340 000 numbers, and formatting them dominated {@code ./coop toy}.
 * 12 digits are far beyond the solvers' accuracy (rtol 1e-8).
 */
final class FastDecimal {
  private static final int DIGITS = 12;
  private static final long LOW = 100_000_000_000L; // 10^(DIGITS-1)
  private static final long HIGH = 1_000_000_000_000L; // 10^DIGITS
  private static final double[] POW10 = new double[600];

  static {
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = Double.parseDouble("1e" + (i - 300));
    }
  }

  private FastDecimal() {}

  static void append(StringBuilder sb, double v) {
    if (v == 0) {
      sb.append('0');
      return;
    }
    if (!Double.isFinite(v)) {
      sb.append(v);
      return;
    }
    double a = Math.abs(v);
    int exp = (int) Math.floor(Math.log10(a));
    if (exp < -280 || exp > 280) {
      sb.append(v);
      return;
    }
    long m = Math.round(a * POW10[300 + DIGITS - 1 - exp]);
    // log10 can be off by one at powers of ten; rounding can carry into a new digit.
    if (m >= HIGH) {
      exp++;
      m = Math.round(a * POW10[300 + DIGITS - 1 - exp]);
    } else if (m < LOW) {
      exp--;
      m = Math.round(a * POW10[300 + DIGITS - 1 - exp]);
    }
    if (m >= HIGH) {
      m /= 10;
      exp++;
    }
    int nd = DIGITS;
    while (nd > 1 && m % 10 == 0) {
      m /= 10;
      nd--;
    }
    if (v < 0) {
      sb.append('-');
    }
    String digits = Long.toString(m);
    if (exp >= -4 && exp < DIGITS) {
      if (exp >= 0) {
        if (nd <= exp + 1) {
          sb.append(digits);
          for (int i = nd; i <= exp; i++) {
            sb.append('0');
          }
        } else {
          sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, nd);
        }
      } else {
        sb.append("0.");
        for (int i = -1; i > exp; i--) {
          sb.append('0');
        }
        sb.append(digits);
      }
    } else {
      sb.append(digits.charAt(0));
      if (nd > 1) {
        sb.append('.').append(digits, 1, nd);
      }
      sb.append('E').append(exp);
    }
  }

  static String toString(double v) {
    StringBuilder sb = new StringBuilder(24);
    append(sb, v);
    return sb.toString();
  }
}
