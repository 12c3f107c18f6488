package coopetition.comparison.runs;

import coopetition.common.UserInputException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The authors' {@code log.h5} (icl-dynamics main.py): {@code eval_iter} [evals], one dataset
 * {@code <evaluator>/<metric>} of shape [evals, sequences] per evaluator and metric (averaged here
 * over sequences, as the paper's plots do), and per-step {@code train_loss} against {@code train_iter}.
 * Evaluator names are translated to this project's: iwl_copy_avail → ciwl, flip_icl → flip,
 * pure_iwl → iwl (train_eval and icl keep theirs).
 */
public final class AuthorsLogReader {
  private static final Map<String, String> EVALUATORS = Map.of(
      "iwl_copy_avail", "ciwl",
      "flip_icl", "flip",
      "pure_iwl", "iwl");

  private AuthorsLogReader() {}

  /** This project's evaluator name for one of the authors'. */
  public static String evaluatorName(String authors) {
    return EVALUATORS.getOrDefault(authors, authors);
  }

  public static RunData read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserInputException(file + " does not exist or is not a file; give the run's log.h5");
    }
    Map<String, Curve> curves = new LinkedHashMap<>();
    Map<String, String> problems = new LinkedHashMap<>();
    try (HdfFile h5 = new HdfFile(file)) {
      Node evalNode = h5.getChildren().get("eval_iter");
      if (!(evalNode instanceof Dataset evalSet)) {
        throw new UserInputException(file + ": no dataset 'eval_iter'; this is not an icl-dynamics log.h5");
      }
      double[] evalIter = flat(file, evalSet);
      checkAxis(file, "eval_iter", evalIter);
      for (Node child : h5.getChildren().values()) {
        if (child instanceof Group g) {
          for (Node m : g.getChildren().values()) {
            if (m instanceof Dataset d) {
              String name = evaluatorName(g.getName()) + "_" + d.getName();
              String path = g.getName() + "/" + d.getName();
              addEvalCurve(file, path, name, d, evalIter, curves, problems);
            }
          }
        }
      }
      Node trainLoss = h5.getChildren().get("train_loss");
      Node trainIter = h5.getChildren().get("train_iter");
      if (trainLoss instanceof Dataset tl && trainIter instanceof Dataset ti) {
        double[] x = flat(file, ti);
        double[] y = flat(file, tl);
        String problem = null;
        if (x.length != y.length) {
          problem = file + ": dataset 'train_loss' has " + y.length + " values but 'train_iter' has " + x.length
              + "; the log is inconsistent";
        } else {
          checkAxis(file, "train_iter", x);
          problem = validate(file, "train_loss", "step", y);
        }
        put("train_loss", x, y, problem, file, curves, problems);
      }
    } catch (UserInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UserInputException(file + ": not a readable HDF5 log (" + e.getMessage() + "); give the run's log.h5");
    }
    return new RunData(file, "log.h5", curves, problems, null);
  }

  private static void addEvalCurve(Path file, String path, String name, Dataset d, double[] evalIter,
      Map<String, Curve> curves, Map<String, String> problems) {
    int[] dims = d.getDimensions();
    if (dims.length == 0 || dims.length > 2 || dims[0] != evalIter.length) {
      problems.put(name, file + ": dataset '" + path + "' has shape " + java.util.Arrays.toString(dims)
          + ", expected [" + evalIter.length + ", sequences] to match eval_iter");
      return;
    }
    double[] values = flat(file, d);
    int per = dims.length == 2 ? dims[1] : 1;
    if (per == 0) {
      problems.put(name, file + ": dataset '" + path + "' has no sequences per evaluation");
      return;
    }
    double[] mean = new double[dims[0]];
    for (int i = 0; i < dims[0]; i++) {
      double s = 0;
      for (int j = 0; j < per; j++) {
        s += values[i * per + j];
      }
      mean[i] = s / per;
    }
    put(name, evalIter, mean, validate(file, path, "evaluation", mean), file, curves, problems);
  }

  private static void put(String name, double[] x, double[] y, String problem, Path file,
      Map<String, Curve> curves, Map<String, String> problems) {
    if (problem == null && x.length < 2) {
      problem = file + ": '" + name + "' has " + x.length + " value(s); a curve needs at least 2";
    }
    if (problem != null) {
      problems.put(name, problem);
    } else {
      curves.put(name, new Curve(name, x, y));
    }
  }

  private static String validate(Path file, String path, String rowWord, double[] y) {
    for (int i = 0; i < y.length; i++) {
      if (!Double.isFinite(y[i])) {
        return file + ": dataset '" + path + "', " + rowWord + " row " + i + ": value " + y[i]
            + " is not finite; fix the value or pair another curve";
      }
    }
    return null;
  }

  private static void checkAxis(Path file, String path, double[] x) {
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || (i > 0 && !(x[i] > x[i - 1]))) {
        throw new UserInputException(file + ": dataset '" + path + "', row " + i + ": " + x[i]
            + " is not finite or does not increase; a restarted log needs trimming to its last segment");
      }
    }
  }

  /** Any numeric dataset, flattened to doubles. */
  private static double[] flat(Path file, Dataset d) {
    Object data = d.getDataFlat();
    if (data == null || !data.getClass().isArray() || !data.getClass().getComponentType().isPrimitive()) {
      throw new UserInputException(file + ": dataset '" + d.getPath() + "' is not numeric");
    }
    int n = Array.getLength(data);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      Object v = Array.get(data, i);
      if (!(v instanceof Number num)) {
        throw new UserInputException(file + ": dataset '" + d.getPath() + "' is not numeric");
      }
      out[i] = num.doubleValue();
    }
    return out;
  }
}
