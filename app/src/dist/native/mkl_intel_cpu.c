/*
 * Preloaded by bin/coop on AMD CPUs with AVX-512 (docs/PERFORMANCE.md, "MKL's AVX-512 kernels on AMD").
 *
 * libtorch carries Intel MKL, which chooses its GEMM kernels by CPU vendor before it looks at the CPU's
 * features: on an AMD CPU it runs its AVX2 kernels even where AVX-512 is there. libtorch exports MKL's
 * vendor check, so a preloaded definition answers it instead. Only the kernels' choice changes: the same
 * arithmetic, in another blocking, so results differ from the AVX2 path in the last bits.
 * Set COOP_MKL_AVX512=0 to run without it.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
int mkl_serv_intel_cpu(void) { return 1; }
