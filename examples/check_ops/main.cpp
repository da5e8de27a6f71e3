// check_ops: runs the generated gradient test of every op the library declares
// (check_op on each descriptor of builtin_ops), one line per test case. Exit
// status 0 when every case passes.
#include <algorithm>
#include <cstdio>
#include <string>

#include <tapegrad/tapegrad.hpp>

#include "../common/program.hpp"

int main(int argc, char** argv) {
    tapegrad::examples::start_program(argc, argv);
    using namespace tapegrad;
    std::printf("Gradient check of every op (central differences, epsilon %g, threshold %g)\n\n", default_epsilon,
                default_threshold);
    int width = 12;  // the longest op name sets the first column
    for (const op_descriptor* d : builtin_ops()) width = std::max(width, static_cast<int>(std::string(d->name).size()));
    std::printf("%-*s %-26s %-11s %s\n", width, "op", "input shapes", "difference", "result");
    int failed = 0, total = 0;
    std::uint64_t seed = 1;
    for (const op_descriptor* d : builtin_ops()) {
        op_check_options options;
        options.seed = seed;
        const op_check_report r = check_op(*d, options);
        seed += r.cases.size();
        for (const op_case_result& c : r.cases) {
            ++total;
            if (!c.passed()) ++failed;
            std::printf("%-*s %-26s %-11.3e %s\n", width, d->name, c.describe(r.has_scalar_cases).c_str(),
                        c.report.difference, c.passed() ? "pass" : "FAIL");
            if (!c.report.passed) std::printf("%s", c.report.to_string().c_str());
            if (!c.values_agree) std::printf("  the evaluated value differs from the recorded one\n");
        }
    }
    std::printf("\n%d of %d checks passed over %zu ops\n", total - failed, total, builtin_ops().size());
    return tapegrad::examples::finish_program("check_ops", failed == 0 ? 0 : 1);
}
