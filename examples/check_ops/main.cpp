// check_ops: gradient-checks every op of the op table at every shape case it
// lists, one line per case. Exit status 0 when every check passes.
#include <algorithm>
#include <cstdio>
#include <string>

#include <tapegrad/ops/op_table.hpp>
#include <tapegrad/tapegrad.hpp>

namespace {

std::string shapes_text(const std::vector<tapegrad::shape2>& shapes) {
    std::string s;
    for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? " x " : "") + tapegrad::to_string(shapes[i]);
    return s;
}

}  // namespace

int main() {
    using namespace tapegrad;
    std::printf("Gradient check of every op (central differences, epsilon %g, threshold %g)\n\n", default_epsilon,
                default_threshold);
    int width = 12;  // the longest op name sets the first column
    for (const op_row& row : op_table()) width = std::max(width, static_cast<int>(row.name.size()));
    std::printf("%-*s %-18s %-11s %s\n", width, "op", "input shapes", "difference", "result");
    int failed = 0, total = 0;
    std::uint64_t seed = 1;
    for (const op_row& row : op_table()) {
        for (const auto& shapes : row.shapes) {
            const gradient_report r = check_op(row, shapes, seed++);
            ++total;
            if (!r.passed) ++failed;
            std::printf("%-*s %-18s %-11.3e %s\n", width, row.name.c_str(), shapes_text(shapes).c_str(),
                        r.difference, r.passed ? "pass" : "FAIL");
            if (!r.passed) std::printf("%s", r.to_string().c_str());
        }
    }
    std::printf("\n%d of %d checks passed over %zu ops\n", total - failed, total, op_table().size());
    return failed == 0 ? 0 : 1;
}
