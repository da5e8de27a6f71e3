// Which kernels OpenBLAS chose for this CPU, and whether they are a generic
// fallback. Debian's OpenBLAS is built for many CPUs (DYNAMIC_ARCH) and picks
// its kernels from the CPU's model. On a virtual machine whose model is masked
// ("Intel(R) Xeon(R) Processor" with AVX2 and AVX-512 flags) OpenBLAS 0.3.21
// falls back to its SSE3 "Prescott" kernels, and matrix products take twice as
// long; the user can choose the kernels with OPENBLAS_CORETYPE
// (docs/troubleshooting.md). tapegrad never chooses them itself: on some
// processors an older OpenBLAS's newer kernels compute wrong results or crash.
#pragma once

#include <string>

namespace tapegrad {

struct blas_kernel {
    std::string core;    // openblas_get_corename(): "Haswell", "Zen", "SkylakeX", "Prescott", ...
    std::string config;  // openblas_get_config(): version and build options
    bool cpu_has_avx2 = false;
    // The kernels lack AVX2 although the CPU has it: a generic fallback.
    bool generic() const;
    // "" when the kernels fit the CPU; otherwise what happened and what to do.
    std::string warning() const;
};

// What this process's OpenBLAS chose.
blas_kernel current_blas_kernel();

// Whether OpenBLAS's core `core` has AVX2 kernels (Haswell, Zen, SkylakeX,
// Cooperlake, SapphireRapids, Excavator; case-insensitive).
bool blas_core_has_avx2(const std::string& core);

}  // namespace tapegrad
