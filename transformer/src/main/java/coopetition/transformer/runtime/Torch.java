package coopetition.transformer.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import coopetition.common.UserInputException;

/**
 * The one place that talks to the DJL engine: thread counts (set before libtorch loads, because a
 * spinning OpenMP pool on a shared machine can slow a step a hundredfold) and device choice.
 */
public final class Torch {
  private static volatile boolean configured;

  private Torch() {}

  /** Which device to run on. */
  public enum DeviceChoice { AUTO, CPU, GPU }

  /**
   * Fixes libtorch's intra-op threads (0 = leave the library default) and one inter-op thread. Call
   * before any NDManager is created; later calls only change the intra-op count.
   */
  public static synchronized void configure(int intraOpThreads) {
    if (intraOpThreads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
    }
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    Engine.getEngine("PyTorch");
    if (intraOpThreads > 0) {
      ai.djl.pytorch.jni.JniUtils.setNumThreads(intraOpThreads);
    }
    configured = true;
  }

  public static NDManager newManager(Device device) {
    if (!configured) {
      configure(0);
    }
    return NDManager.newBaseManager(device, "PyTorch");
  }

  /** CPU unless asked otherwise; AUTO takes a GPU when the engine sees one. */
  public static Device device(DeviceChoice choice) {
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    return switch (choice) {
      case CPU -> Device.cpu();
      case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw UserInputException.forField("device", "gpu asked for, but the PyTorch engine sees no GPU; use cpu or auto");
        }
        yield Device.gpu();
      }
    };
  }

  /** e.g. "PyTorch 2.5.1 on cpu(), 2 intra-op threads". */
  public static String describe(Device device) {
    Engine e = Engine.getEngine("PyTorch");
    return "PyTorch " + e.getVersion() + " (DJL " + Engine.getDjlVersion() + ") on " + device
        + ", " + ai.djl.pytorch.jni.JniUtils.getNumThreads() + " intra-op threads";
  }
}
