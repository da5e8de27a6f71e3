// OpenBLAS's generic kernels on a CPU with AVX2: the programs say so on stderr
// and record the kernels in results.json. OPENBLAS_CORETYPE=Prescott forces
// the generic SSE3 kernels (safe on every x86-64 CPU), as a masked virtual
// machine would get them.
#include <string>

#include <tapegrad/framework/blas_kernel.hpp>

#include "program_runs.hpp"

namespace program_tests {

TEST_CASE("the programs name OpenBLAS's kernels and warn about a generic fallback", "[programs][blas]") {
    const std::string dir = fresh_dir("blas_prescott");
    run_options o;
    o.environment = {"OPENBLAS_CORETYPE=Prescott"};
    const process_result r = run_process(
        {example("initialization"), "--runs", "he", "--iterations", "30", "--quiet", "--output-dir", dir}, o);
    INFO(r.out << r.err);
    REQUIRE(r.exited_with(0));
    const json doc = read_json(dir + "/results.json");
    CHECK(doc["blas"]["core"] == "Prescott");
    CHECK(r.out.find("Matrix products: OpenBLAS's Prescott kernels") != std::string::npos);
    CHECK(read_file(dir + "/report.html").find("Prescott kernels") != std::string::npos);
    if (tapegrad::current_blas_kernel().cpu_has_avx2) {
        CHECK(doc["blas"]["generic"] == true);
        CHECK(r.err.find("initialization: note: OpenBLAS chose its generic Prescott kernels") != std::string::npos);
        CHECK(r.err.find("OPENBLAS_CORETYPE=Haswell") != std::string::npos);
    } else {
        CHECK(doc["blas"]["generic"] == false);
        CHECK(r.err.find("note:") == std::string::npos);
    }
}

}  // namespace program_tests
