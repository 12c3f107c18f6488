package coopetition.app.toy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import coopetition.common.Json;
import coopetition.toymodel.Clamp;
import coopetition.toymodel.SolverSettings;
import coopetition.toymodel.Summary;
import coopetition.toymodel.ToyConfig;
import java.util.Map;

/** JSON records of configs, settings and summaries, shared by the toy commands. */
final class RunRecords {
  private RunRecords() {}

  static ObjectNode config(ToyConfig c) {
    ObjectNode o = Json.object();
    o.put("na", c.na()).put("nb", c.nb()).put("nc", c.nc()).put("nd", c.nd())
        .put("alpha", c.alpha()).put("mu1", c.mu1()).put("mu2", c.mu2())
        .put("lambda", c.weightDecay()).put("init_scale", c.initScale()).put("seed", c.seed());
    return o;
  }

  static ObjectNode settings(SolverSettings s) {
    ObjectNode o = Json.object();
    o.put("solver", s.solver().cliName());
    if (s.solver().isFlow()) {
      o.put("integrator", s.integrator().cliName()).put("rtol", s.rtol()).put("atol", s.atol());
    } else {
      o.put("learning_rate", s.learningRate());
    }
    o.put("loss_threshold", s.lossThreshold());
    var clamps = o.putArray("clamps");
    for (Clamp c : s.clamps()) {
      clamps.add(c.toString());
    }
    o.put("event_detection", s.detectEvents());
    return o;
  }

  static void putSummary(ObjectNode o, Summary s) {
    for (Map.Entry<String, Object> e : s.toMap().entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        o.putNull(e.getKey());
      } else if (v instanceof Boolean b) {
        o.put(e.getKey(), b);
      } else if (v instanceof Long l) {
        o.put(e.getKey(), l);
      } else {
        o.put(e.getKey(), ((Number) v).doubleValue());
      }
    }
  }
}
