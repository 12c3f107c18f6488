/**
 * Tribuo linear probes on the residual stream at the query token: what a layer's activations encode about
 * the sequence (the ICL signal: where the query's class sits in context, whether its label is there; the
 * in-weights signal: the query's class), per layer and per stored checkpoint.
 */
package coopetition.probes;
