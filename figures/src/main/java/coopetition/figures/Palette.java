package coopetition.figures;

import java.awt.Color;

/**
 * The papers' colour scheme, one colour per strategy so that a mechanism has the same colour in
 * every panel: train black, ICL (= toy mechanism 1) blue, CIWL (= toy mechanism 2) green, Flip red.
 */
public final class Palette {
  private Palette() {}

  public static final Color TRAIN = Color.BLACK;
  public static final Color ICL = new Color(0x1f78b4);
  public static final Color CIWL = new Color(0x33a02c);
  public static final Color FLIP = new Color(0xe31a1c);
  public static final Color IWL = new Color(0x6a3d9a);
  public static final Color COST = new Color(0x808080);
  public static final Color CHANCE = new Color(0x999999);
  public static final Color EVENT = new Color(0xff7f00);

  /** Toy model: total loss is drawn like train, mechanism 1 like ICL, mechanism 2 like CIWL. */
  public static final Color TOTAL = TRAIN;
  public static final Color MECH1 = ICL;
  public static final Color MECH2 = CIWL;

  private static final Color[] CATEGORICAL = {
      Color.BLACK, new Color(0x1f78b4), new Color(0xe31a1c), new Color(0x33a02c), new Color(0x6a3d9a),
      new Color(0xff7f00), new Color(0xa6761d), new Color(0xe7298a)};

  /** The i-th of eight well-separated colours, for overlaying runs (cycles after eight). */
  public static Color categorical(int i) {
    return CATEGORICAL[Math.floorMod(i, CATEGORICAL.length)];
  }

  /** Lighter version of a colour, e.g. for raw points behind a fitted line. */
  public static Color light(Color c) {
    return new Color((c.getRed() + 255 * 2) / 3, (c.getGreen() + 255 * 2) / 3, (c.getBlue() + 255 * 2) / 3);
  }
}
