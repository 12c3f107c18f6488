package coopetition.figures;

/** A vertical annotation line at {@code x} with a short label, e.g. "mech. 1 learned". */
public record Marker(double x, String label) {}
