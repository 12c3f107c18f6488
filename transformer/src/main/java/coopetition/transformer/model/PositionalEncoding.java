package coopetition.transformer.model;

/** How token positions enter the model (PAPER-SETUP §3.2). */
public enum PositionalEncoding {
  /** Learned absolute positions, one vector per slot (the authors' 2-layer runs). */
  LEARNED,
  /** Fixed interleaved sin/cos added to the tokens (the authors' 12-layer runs). */
  SINUSOIDAL,
  /** Rotary: q and k rotated per head in interleaved pairs, no absolute term. */
  ROTARY
}
