// Helpers shared by the test files: an exception-message matcher for
// REQUIRE_THROWS_MATCHES, exact matrix comparisons, and the course's data files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>

namespace test_support {

// Matches an exception whose what() contains every given substring.
class message_contains : public Catch::MatcherBase<std::exception> {
public:
    message_contains(std::initializer_list<std::string> parts) : parts_(parts) {}

    bool match(const std::exception& e) const override {
        const std::string what = e.what();
        for (const std::string& p : parts_) {
            if (what.find(p) == std::string::npos) return false;
        }
        return true;
    }

    std::string describe() const override {
        std::string d = "message contains";
        for (const std::string& p : parts_) d += " \"" + p + "\"";
        return d;
    }

private:
    std::vector<std::string> parts_;
};

// Same shape and the same value in every element (== on doubles).
inline bool exactly_equal(const tapegrad::matrix& a, const tapegrad::matrix& b) {
    if (tapegrad::shape_of(a) != tapegrad::shape_of(b)) return false;
    for (std::size_t i = 0; i < a.shape()[0]; ++i) {
        for (std::size_t j = 0; j < a.shape()[1]; ++j) {
            if (!(a(i, j) == b(i, j))) return false;
        }
    }
    return true;
}

// Same shape and the same bit pattern in every element (tells -0.0 from 0.0).
inline bool bitwise_equal(const tapegrad::matrix& a, const tapegrad::matrix& b) {
    if (tapegrad::shape_of(a) != tapegrad::shape_of(b)) return false;
    for (std::size_t i = 0; i < a.shape()[0]; ++i) {
        for (std::size_t j = 0; j < a.shape()[1]; ++j) {
            const double x = a(i, j), y = b(i, j);
            std::uint64_t bx, by;
            std::memcpy(&bx, &x, sizeof x);
            std::memcpy(&by, &y, sizeof y);
            if (bx != by) return false;
        }
    }
    return true;
}

// The course's data file `name` in ../shared/data next to the repository
// (football.mat, football_train.csv, ...), which must never be copied into the
// repository. Returns its path, or "" when it is absent: a fresh clone has no
// ../shared, so the caller skips its checks (return early) after the WARN
// this prints. When the CI environment variable is set (non-empty), a missing
// file is a failure instead: CI must have ../shared/data.
inline std::string course_data(const std::string& name) {
    const std::filesystem::path path =
        (std::filesystem::path(TAPEGRAD_SOURCE_DIR) / ".." / "shared" / "data" / name).lexically_normal();
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return path.string();
    const char* ci = std::getenv("CI");
    if (ci != nullptr && *ci != '\0') FAIL(path.string() << " missing; CI must have ../shared/data");
    WARN("skipped: " << path.string() << " not found (the course data lives in ../shared/data)");
    return "";
}


// A user's own op, y = x^2 elementwise, recorded through tape::record; with
// square_backward<true> the gradient of element (1, 2) is planted wrong (doubled).
inline tapegrad::var record_square(const char* name, const tapegrad::var& a, tapegrad::backward_fn backward) {
    tapegrad::op_builder r = a.owner().record(name, {a}, backward);
    const tapegrad::matrix& x = r.input(0);
    tapegrad::matrix& y = r.value();
    y.resize({x.shape()[0], x.shape()[1]});
    for (std::size_t i = 0; i < x.shape()[0]; ++i) {
        for (std::size_t j = 0; j < x.shape()[1]; ++j) y(i, j) = x(i, j) * x(i, j);
    }
    return r.result();
}

template <bool faulty>
void square_backward(tapegrad::backward_context& c) {
    const tapegrad::matrix& g = c.grad();
    const tapegrad::matrix& x = c.input(0);
    tapegrad::matrix& dx = c.input_grad(0);
    for (std::size_t i = 0; i < x.shape()[0]; ++i) {
        for (std::size_t j = 0; j < x.shape()[1]; ++j) {
            double d = g(i, j) * 2.0 * x(i, j);
            if (faulty && i == 1 && j == 2) d *= 2.0;
            dx(i, j) += d;
        }
    }
}

}  // namespace test_support
