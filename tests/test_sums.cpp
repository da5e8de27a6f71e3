// Sums match numpy bit for bit at every length: numpy sums pairwise within
// blocks of its 8192-element buffer and adds the blocks in order. The expected
// sums are numpy's own (tests/data/numpy_sums.json, written by
// tests/data/make_numpy_sums.py with Debian's python3-numpy), of the same
// randn draws random_state makes here.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;

namespace {

double hex(const nlohmann::json& v) { return std::strtod(v.get<std::string>().c_str(), nullptr); }

}  // namespace

TEST_CASE("sums equal numpy's bit for bit past its 8192-element buffer, whole and by axis", "[sums]") {
    std::ifstream in(std::string(TAPEGRAD_SOURCE_DIR) + "/tests/data/numpy_sums.json");
    REQUIRE(in.good());
    const nlohmann::json data = nlohmann::json::parse(in);
    REQUIRE(data["cases"].size() == 44);
    for (const nlohmann::json& c : data["cases"]) {
        const std::size_t rows = c["shape"][0], cols = c["shape"][1];
        const matrix a = random_state(c["seed"].get<std::int64_t>()).randn(rows, cols);
        INFO("seed " << c["seed"] << ", shape (" << rows << ", " << cols << ")");
        CHECK(tapegrad::sum(a)(0, 0) == hex(c["sum"]));
        if (!c["sum_axis1"].is_null()) {
            const matrix s = tapegrad::sum(a, 1);
            for (std::size_t i = 0; i < rows; ++i) CHECK(s(i, 0) == hex(c["sum_axis1"][i]));
        }
        if (!c["sum_axis0"].is_null()) {
            const matrix s = tapegrad::sum(a, 0);
            for (std::size_t j = 0; j < cols; ++j) CHECK(s(0, j) == hex(c["sum_axis0"][j]));
        }
        // nansum, as the course's cost sums its terms: every 7th value NaN.
        std::vector<double> b(a.begin(), a.end());
        for (std::size_t k = 0; k < b.size(); k += 7) b[k] = std::numeric_limits<double>::quiet_NaN();
        CHECK(kernels::pairwise_nansum(b.data(), b.size(), 1) == hex(c["nansum_with_nans"]));
    }
}
