#include <tapegrad/framework/blas_kernel.hpp>

#include <algorithm>
#include <cctype>

#include <cblas.h>

namespace tapegrad {

bool blas_core_has_avx2(const std::string& core) {
    std::string c = core;
    std::transform(c.begin(), c.end(), c.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    // OpenBLAS 0.3.21's x86-64 cores whose kernels use AVX2 (or AVX-512).
    for (const char* k : {"haswell", "zen", "skylakex", "cooperlake", "sapphirerapids", "excavator"}) {
        if (c == k) return true;
    }
    return false;
}

bool blas_kernel::generic() const { return cpu_has_avx2 && !blas_core_has_avx2(core); }

std::string blas_kernel::warning() const {
    if (!generic()) return "";
    return "OpenBLAS chose its generic " + core +
           " kernels, but this CPU has AVX2: matrix products may take about twice as long. OpenBLAS picks "
           "kernels by the CPU's model, which virtual machines often mask. If the CPU is an Intel Haswell or "
           "newer, run with OPENBLAS_CORETYPE=Haswell (SkylakeX with AVX-512; Zen on AMD); see "
           "docs/troubleshooting.md for the caveat";
}

blas_kernel current_blas_kernel() {
    blas_kernel k;
    k.core = openblas_get_corename();
    k.config = openblas_get_config();
#if defined(__x86_64__) || defined(__i386__)
    k.cpu_has_avx2 = __builtin_cpu_supports("avx2");
#endif
    return k;
}

}  // namespace tapegrad
