/**
 * Mechanistic tools over a run's checkpoint history (the authors' "artificial optogenetics", PAPER-SETUP §5):
 * evaluating stored checkpoints with the run's own eval sequences, attention measures (induction strength,
 * previous-token vs self attention, Layer-2 attention by the correct label's position), and grafted networks
 * whose early layers come from one checkpoint and later layers from another. Layers and heads are numbered
 * from 1 in every result, as in the paper's figures.
 */
package coopetition.transformer.mech;
