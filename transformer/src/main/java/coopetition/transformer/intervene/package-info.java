/**
 * The paper's interventions on a trained network (the 2025 paper's "artificial optogenetics"), each a small
 * typed {@link coopetition.transformer.intervene.Manipulation} expressed through the model's hook points
 * ({@code model.Hooks}): keep only some heads, ablate an embedding, clamp a head's attention delta between
 * the correct and the incorrect label (Fig 2b), force a previous-token or induction pattern, rescale a
 * head's temperature, preserve parts of the unablated pass. Also the training-time constraints
 * (config.Forbid, enforced by train.ForbiddenAttention) and composition scores (Elhage et al. 2021).
 */
package coopetition.transformer.intervene;
