package coopetition.transformer.model;

import java.util.Arrays;

/**
 * The causal attention core (scores, softmax, pattern × values) and its backward, in Java, for sequences
 * as short as this model's (5-17 tokens, head width 8). libtorch runs each of these products as a batch of
 * tiny matrices below its BLAS threshold, a scalar loop, and softmaxes rows of 5; at the quick model's
 * shapes that was a fifth of a training step for about 1% of its FLOPs (docs/PERFORMANCE.md).
 *
 * <p>The arithmetic runs with the batch innermost ({@code [H, T, hd, B]}), so that every loop is a
 * contiguous pass the JIT vectorises; {@link #forward} and {@link #backward} transpose from and to the
 * layouts the model uses: the QKV projection's output {@code [B, T, 3, H, hd]} as it comes, and the heads'
 * outputs {@code [B, T, H, hd]}, which the output projection reads as {@code [B, T, H·hd]}. Same maths as
 * the libtorch path, other rounding: float sums in another order and {@code Math.exp} instead of
 * libtorch's vectorised exp.
 */
public final class AttentionKernel {
  /** Sequences per tile: a tile's q, k, v and pattern (about 200 KB at the quick shapes) stay in the core's cache. */
  static final int TILE = 64;
  private final int b;
  private final int tb;
  private final int tiles;
  private final int t;
  private final int h;
  private final int hd;
  private final float scale;
  // [H, T, hd, B] each
  private final float[] q;
  private final float[] k;
  private final float[] v;
  // [H, T(query), T(key), B]; only key <= query is used
  private final float[] p;

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
    int n = tiles * heads * tokens * headDim * tb;
    this.q = new float[n];
    this.k = new float[n];
    this.v = new float[n];
    this.p = new float[tiles * heads * tokens * tokens * tb];
  }

  /** Whether this kernel holds passes of these shapes. */
  boolean fits(int batch, int tokens, int heads, int headDim) {
    return batch == b && tokens == t && heads == h && headDim == hd;
  }

  /** Offset of (head, token, channel) of the first sequence of {@code tile}; its sequences follow. */
  private int at(int tile, int head, int token, int c) {
    return (((tile * h + head) * t + token) * hd + c) * tb;
  }

  private int pat(int tile, int head, int i, int j) {
    return (((tile * h + head) * t + i) * t + j) * tb;
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
    int row = 3 * h * hd;
    int zrow = t * h * hd;
    for (int tile = 0; tile < tiles; tile++) {
      int first = tile * tb;
      int lanes = Math.min(tb, b - first);
      for (int x = 0; x < lanes; x++) { // to batch-innermost
        for (int ti = 0; ti < t; ti++) {
          int src = ((first + x) * t + ti) * row;
          for (int hi = 0; hi < h; hi++) {
            for (int c = 0; c < hd; c++) {
              int dst = at(tile, hi, ti, c) + x;
              q[dst] = qkv[src + hi * hd + c];
              k[dst] = qkv[src + (h + hi) * hd + c];
              v[dst] = qkv[src + (2 * h + hi) * hd + c];
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
              int qo = at(tile, hi, i, c);
              int ko = at(tile, hi, j, c);
              for (int x = 0; x < tb; x++) {
                s[x] += q[qo + x] * k[ko + x];
              }
            }
            int po = pat(tile, hi, i, j);
            for (int x = 0; x < tb; x++) {
              float sx = s[x] * scale;
              p[po + x] = sx;
              max[x] = Math.max(max[x], sx);
            }
          }
          Arrays.fill(sum, 0);
          for (int j = 0; j <= i; j++) {
            int po = pat(tile, hi, i, j);
            for (int x = 0; x < tb; x++) {
              float e = (float) Math.exp(p[po + x] - max[x]);
              p[po + x] = e;
              sum[x] += e;
            }
          }
          for (int x = 0; x < tb; x++) {
            sum[x] = 1 / sum[x];
          }
          for (int j = 0; j <= i; j++) {
            int po = pat(tile, hi, i, j);
            for (int x = 0; x < tb; x++) {
              p[po + x] *= sum[x];
            }
          }
          // z_i = Σ_j p_ij v_j, written straight into [B, T, H, hd]
          for (int c = 0; c < hd; c++) {
            Arrays.fill(acc, 0);
            for (int j = 0; j <= i; j++) {
              int po = pat(tile, hi, i, j);
              int vo = at(tile, hi, j, c);
              for (int x = 0; x < tb; x++) {
                acc[x] += p[po + x] * v[vo + x];
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
            out[((x * h + hi) * t + i) * t + j] = p[pat(tile, hi, i, j) + lane];
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
    int n = h * t * hd * tb; // one tile
    float[] g = new float[n];
    float[] dq = new float[n];
    float[] dk = new float[n];
    float[] dv = new float[n];
    float[] dp = new float[t * tb];
    float[] r = new float[tb];
    int row = 3 * h * hd;
    int zrow = t * h * hd;
    for (int tile = 0; tile < tiles; tile++) {
      int first = tile * tb;
      int lanes = Math.min(tb, b - first);
      int base = tile * n; // this tile's q, k, v in the kernel's arrays; g, dq, dk, dv are per tile
      Arrays.fill(g, 0);
      Arrays.fill(dq, 0);
      Arrays.fill(dk, 0);
      Arrays.fill(dv, 0);
      for (int x = 0; x < lanes; x++) {
        for (int ti = 0; ti < t; ti++) {
          for (int hi = 0; hi < h; hi++) {
            int src = (first + x) * zrow + (ti * h + hi) * hd;
            for (int c = 0; c < hd; c++) {
              g[at(0, hi, ti, c) + x] = dz[src + c];
            }
          }
        }
      }
      for (int hi = 0; hi < h; hi++) {
        for (int i = 0; i < t; i++) {
          // dp_ij = dz_i · v_j; dv_j += p_ij dz_i
          Arrays.fill(dp, 0);
          for (int j = 0; j <= i; j++) {
            int po = pat(tile, hi, i, j);
            for (int c = 0; c < hd; c++) {
              int go = at(0, hi, i, c);
              int vo = at(0, hi, j, c);
              for (int x = 0; x < tb; x++) {
                dp[j * tb + x] += g[go + x] * v[base + vo + x];
                dv[vo + x] += p[po + x] * g[go + x];
              }
            }
          }
          // softmax backward: ds_ij = p_ij (dp_ij - Σ_j' p_ij' dp_ij'), times the scale
          Arrays.fill(r, 0);
          for (int j = 0; j <= i; j++) {
            int po = pat(tile, hi, i, j);
            for (int x = 0; x < tb; x++) {
              r[x] += p[po + x] * dp[j * tb + x];
            }
          }
          for (int j = 0; j <= i; j++) {
            int po = pat(tile, hi, i, j);
            for (int x = 0; x < tb; x++) {
              dp[j * tb + x] = p[po + x] * (dp[j * tb + x] - r[x]) * scale;
            }
          }
          // dq_i += ds_ij k_j; dk_j += ds_ij q_i
          for (int j = 0; j <= i; j++) {
            for (int c = 0; c < hd; c++) {
              int qo = at(0, hi, i, c);
              int ko = at(0, hi, j, c);
              for (int x = 0; x < tb; x++) {
                float ds = dp[j * tb + x];
                dq[qo + x] += ds * k[base + ko + x];
                dk[ko + x] += ds * q[base + qo + x];
              }
            }
          }
        }
      }
      for (int x = 0; x < lanes; x++) {
        for (int ti = 0; ti < t; ti++) {
          int dst = ((first + x) * t + ti) * row;
          for (int hi = 0; hi < h; hi++) {
            for (int c = 0; c < hd; c++) {
              int src = at(0, hi, ti, c) + x;
              dqkv[dst + hi * hd + c] = dq[src];
              dqkv[dst + (h + hi) * hd + c] = dk[src];
              dqkv[dst + (2 * h + hi) * hd + c] = dv[src];
            }
          }
        }
      }
    }
  }
}
