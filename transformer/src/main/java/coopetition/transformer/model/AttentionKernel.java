package coopetition.transformer.model;

import java.util.Arrays;

/**
 * The causal attention core (scores, softmax, pattern × values) and its backward, in Java, for sequences
 * as short as this model's (5-17 tokens, head width 8). libtorch runs each of these products as a batch of
 * tiny matrices below its BLAS threshold, a scalar loop, and softmaxes rows of 5; at the quick model's
 * shapes that was a fifth of a training step for about 1% of its FLOPs (docs/PERFORMANCE.md).
 *
 * <p>The arithmetic runs with the batch innermost: every (head, token, channel) is a row of up to
 * {@value #TILE} sequences, its own {@code float[]}, so that every inner loop is a plain pass from index 0
 * that the JIT vectorises (loops over offsets into one big array ran at a third of the speed); {@link #forward} and {@link #backward} transpose from and to the
 * layouts the model uses: the QKV projection's output {@code [B, T, 3, H, hd]} as it comes, and the heads'
 * outputs {@code [B, T, H, hd]}, which the output projection reads as {@code [B, T, H·hd]}. Same maths as
 * the libtorch path, other rounding: float sums in another order and {@code Math.exp} instead of
 * libtorch's vectorised exp.
 */
public final class AttentionKernel {
  /** Sequences per tile: a tile's rows of q, k, v and pattern (about 200 KB at the quick shapes) stay in cache. */
  static final int TILE = 64;
  private final int b;
  private final int tb;
  private final int tiles;
  private final int t;
  private final int h;
  private final int hd;
  private final float scale;
  // rows of tb lanes: q, k, v at row(tile, head, token, channel); the pattern at prow(tile, head, query, key),
  // only key <= query used
  private final float[][] q;
  private final float[][] k;
  private final float[][] v;
  private final float[][] p;

  /** An empty kernel for {@code batch} sequences of {@code tokens} tokens, {@code heads} heads of width {@code headDim}. */
  public AttentionKernel(int batch, int tokens, int heads, int headDim) {
    this.b = batch;
    this.t = tokens;
    this.h = heads;
    this.hd = headDim;
    this.scale = (float) (1 / Math.sqrt(headDim));
    this.tb = Math.min(batch, TILE);
    this.tiles = (batch + tb - 1) / tb;
    // a short last tile is padded with zero sequences, whose outputs are never read
    int rows = tiles * heads * tokens * headDim;
    this.q = new float[rows][tb];
    this.k = new float[rows][tb];
    this.v = new float[rows][tb];
    this.p = new float[tiles * heads * tokens * tokens][tb];
  }

  /** Whether this kernel holds passes of these shapes. */
  boolean fits(int batch, int tokens, int heads, int headDim) {
    return batch == b && tokens == t && heads == h && headDim == hd;
  }

  private int row(int tile, int head, int token, int c) {
    return ((tile * h + head) * t + token) * hd + c;
  }

  private int prow(int tile, int head, int i, int j) {
    return ((tile * h + head) * t + i) * t + j;
  }

  /**
   * Forward: reads {@code qkv} [B, T, 3, H, hd], writes the heads' outputs to {@code z} [B, T, H, hd] and
   * keeps what the backward needs (this kernel holds one pass at a time).
   */
  public void forward(float[] qkv, float[] z) {
    float[] s = new float[tb];
    float[] max = new float[tb];
    float[] sum = new float[tb];
    float[] acc = new float[tb];
    int width = 3 * h * hd;
    int zrow = t * h * hd;
    for (int tile = 0; tile < tiles; tile++) {
      int first = tile * tb;
      int lanes = Math.min(tb, b - first);
      // to batch-innermost, one destination row at a time
      int stride = t * width;
      for (int ti = 0; ti < t; ti++) {
        for (int part = 0; part < 3; part++) {
          float[][] dst = part == 0 ? q : part == 1 ? k : v;
          for (int hi = 0; hi < h; hi++) {
            for (int c = 0; c < hd; c++) {
              float[] to = dst[row(tile, hi, ti, c)];
              int from = (first * t + ti) * width + (part * h + hi) * hd + c;
              for (int x = 0; x < lanes; x++) {
                to[x] = qkv[from + x * stride];
              }
            }
          }
        }
      }
      for (int hi = 0; hi < h; hi++) {
        for (int i = 0; i < t; i++) {
          // scores of keys 0..i (the causal mask), then a stable softmax over them
          Arrays.fill(max, Float.NEGATIVE_INFINITY);
          for (int j = 0; j <= i; j++) {
            Arrays.fill(s, 0);
            for (int c = 0; c < hd; c++) {
              float[] qr = q[row(tile, hi, i, c)];
              float[] kr = k[row(tile, hi, j, c)];
              for (int x = 0; x < tb; x++) {
                s[x] += qr[x] * kr[x];
              }
            }
            float[] pr = p[prow(tile, hi, i, j)];
            for (int x = 0; x < tb; x++) {
              float sx = s[x] * scale;
              pr[x] = sx;
              max[x] = Math.max(max[x], sx);
            }
          }
          Arrays.fill(sum, 0);
          for (int j = 0; j <= i; j++) {
            float[] pr = p[prow(tile, hi, i, j)];
            for (int x = 0; x < tb; x++) {
              float e = (float) Math.exp(pr[x] - max[x]);
              pr[x] = e;
              sum[x] += e;
            }
          }
          for (int x = 0; x < tb; x++) {
            sum[x] = 1 / sum[x];
          }
          for (int j = 0; j <= i; j++) {
            float[] pr = p[prow(tile, hi, i, j)];
            for (int x = 0; x < tb; x++) {
              pr[x] *= sum[x];
            }
          }
          // z_i = Σ_j p_ij v_j, written into [B, T, H, hd]
          for (int c = 0; c < hd; c++) {
            Arrays.fill(acc, 0);
            for (int j = 0; j <= i; j++) {
              float[] pr = p[prow(tile, hi, i, j)];
              float[] vr = v[row(tile, hi, j, c)];
              for (int x = 0; x < tb; x++) {
                acc[x] += pr[x] * vr[x];
              }
            }
            int dst = first * zrow + (i * h + hi) * hd + c;
            for (int x = 0; x < lanes; x++) {
              z[dst + x * zrow] = acc[x];
            }
          }
        }
      }
    }
  }

  /** The softmaxed pattern of the last forward, [B, H, T, T] (query row, key column), zeros above the diagonal. */
  public float[] pattern() {
    float[] out = new float[b * h * t * t];
    for (int x = 0; x < b; x++) {
      int tile = x / tb;
      int lane = x % tb;
      for (int hi = 0; hi < h; hi++) {
        for (int i = 0; i < t; i++) {
          for (int j = 0; j <= i; j++) {
            out[((x * h + hi) * t + i) * t + j] = p[prow(tile, hi, i, j)][lane];
          }
        }
      }
    }
    return out;
  }

  /**
   * Backward of the last {@link #forward}: from the gradient of the heads' outputs {@code dz} [B, T, H, hd],
   * writes the gradient of the QKV projection's output to {@code dqkv} [B, T, 3, H, hd].
   */
  public void backward(float[] dz, float[] dqkv) {
    int rows = h * t * hd; // one tile
    float[][] g = new float[rows][tb];
    float[][] dq = new float[rows][tb];
    float[][] dk = new float[rows][tb];
    float[][] dv = new float[rows][tb];
    float[][] dp = new float[t][tb];
    float[] r = new float[tb];
    int width = 3 * h * hd;
    int zrow = t * h * hd;
    for (int tile = 0; tile < tiles; tile++) {
      int first = tile * tb;
      int lanes = Math.min(tb, b - first);
      int base = tile * rows; // this tile's rows of q, k, v; g, dq, dk, dv hold one tile
      for (int i = 0; i < rows; i++) {
        Arrays.fill(g[i], 0);
        Arrays.fill(dq[i], 0);
        Arrays.fill(dk[i], 0);
        Arrays.fill(dv[i], 0);
      }
      for (int ti = 0; ti < t; ti++) { // dz to batch-innermost, one row at a time
        for (int hi = 0; hi < h; hi++) {
          for (int c = 0; c < hd; c++) {
            float[] to = g[row(0, hi, ti, c)];
            int from = first * zrow + (ti * h + hi) * hd + c;
            for (int x = 0; x < lanes; x++) {
              to[x] = dz[from + x * zrow];
            }
          }
        }
      }
      for (int hi = 0; hi < h; hi++) {
        for (int i = 0; i < t; i++) {
          // dp_ij = dz_i · v_j; dv_j += p_ij dz_i
          for (int j = 0; j <= i; j++) {
            float[] pr = p[prow(tile, hi, i, j)];
            float[] dpr = dp[j];
            Arrays.fill(dpr, 0);
            for (int c = 0; c < hd; c++) {
              float[] gr = g[row(0, hi, i, c)];
              float[] vr = v[base + row(0, hi, j, c)];
              float[] dvr = dv[row(0, hi, j, c)];
              for (int x = 0; x < tb; x++) {
                dpr[x] += gr[x] * vr[x];
                dvr[x] += pr[x] * gr[x];
              }
            }
          }
          // softmax backward: ds_ij = p_ij (dp_ij - Σ_j' p_ij' dp_ij'), times the scale
          Arrays.fill(r, 0);
          for (int j = 0; j <= i; j++) {
            float[] pr = p[prow(tile, hi, i, j)];
            float[] dpr = dp[j];
            for (int x = 0; x < tb; x++) {
              r[x] += pr[x] * dpr[x];
            }
          }
          for (int j = 0; j <= i; j++) {
            float[] pr = p[prow(tile, hi, i, j)];
            float[] dpr = dp[j];
            for (int x = 0; x < tb; x++) {
              dpr[x] = pr[x] * (dpr[x] - r[x]) * scale;
            }
          }
          // dq_i += ds_ij k_j; dk_j += ds_ij q_i
          for (int j = 0; j <= i; j++) {
            float[] ds = dp[j];
            for (int c = 0; c < hd; c++) {
              float[] qr = q[base + row(0, hi, i, c)];
              float[] kr = k[base + row(0, hi, j, c)];
              float[] dqr = dq[row(0, hi, i, c)];
              float[] dkr = dk[row(0, hi, j, c)];
              for (int x = 0; x < tb; x++) {
                dqr[x] += ds[x] * kr[x];
                dkr[x] += ds[x] * qr[x];
              }
            }
          }
        }
      }
      int stride = t * width;
      for (int ti = 0; ti < t; ti++) { // back to [B, T, 3, H, hd], one row at a time
        for (int part = 0; part < 3; part++) {
          float[][] src = part == 0 ? dq : part == 1 ? dk : dv;
          for (int hi = 0; hi < h; hi++) {
            for (int c = 0; c < hd; c++) {
              float[] from = src[row(0, hi, ti, c)];
              int to = (first * t + ti) * width + (part * h + hi) * hd + c;
              for (int x = 0; x < lanes; x++) {
                dqkv[to + x * stride] = from[x];
              }
            }
          }
        }
      }
    }
  }
}
