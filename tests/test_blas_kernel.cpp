// Which OpenBLAS kernels count as a generic fallback on a CPU with AVX2, and
// what the programs tell the user then.
#include <catch2/catch.hpp>

#include <string>

#include <tapegrad/tapegrad.hpp>

using namespace tapegrad;

TEST_CASE("blas_kernel: the AVX2 cores are not generic; the SSE ones are on an AVX2 CPU", "[blas]") {
    for (const char* core : {"Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids", "Excavator", "HASWELL"}) {
        CAPTURE(core);
        CHECK(blas_core_has_avx2(core));
        CHECK_FALSE((blas_kernel{core, "", true}).generic());
    }
    for (const char* core : {"Prescott", "Core2", "Penryn", "Nehalem", "Sandybridge", "Barcelona", "Bulldozer", ""}) {
        CAPTURE(core);
        CHECK_FALSE(blas_core_has_avx2(core));
        CHECK((blas_kernel{core, "", true}).generic());
        // Without AVX2 in the CPU these are the right kernels.
        CHECK_FALSE((blas_kernel{core, "", false}).generic());
        CHECK((blas_kernel{core, "", false}).warning().empty());
    }
    const std::string w = blas_kernel{"Prescott", "OpenBLAS 0.3.21", true}.warning();
    CHECK(w.find("generic Prescott kernels") != std::string::npos);
    CHECK(w.find("OPENBLAS_CORETYPE=Haswell") != std::string::npos);
    CHECK(w.find("docs/troubleshooting.md") != std::string::npos);
    CHECK((blas_kernel{"Zen", "", true}).warning().empty());
}

TEST_CASE("blas_kernel: this process's OpenBLAS names its kernels", "[blas]") {
    const blas_kernel k = current_blas_kernel();
    CHECK_FALSE(k.core.empty());
    CHECK(k.config.find("OpenBLAS") != std::string::npos);
    CHECK(k.generic() == (k.cpu_has_avx2 && !blas_core_has_avx2(k.core)));
}
