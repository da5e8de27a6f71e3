// Helpers shared by the test files: an exception-message matcher for
// REQUIRE_THROWS_MATCHES, exact matrix comparisons, and the course's data files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>
#include <tapegrad/course/course.hpp>
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


// A user's own op, y = x^2 elementwise, declared like any op; in faulty_square_op
// the gradient of element (1, 2) is planted wrong (doubled).
inline void user_square_forward(tapegrad::forward_context& f) {
    const tapegrad::matrix& x = f.input(0);
    tapegrad::ensure_shape(f.output(), tapegrad::shape_of(x));
    for (std::size_t k = 0; k < x.size(); ++k) f.output().data()[k] = x.data()[k] * x.data()[k];
}

template <bool faulty>
void user_square_backward(tapegrad::backward_context& c) {
    const tapegrad::matrix& g = c.grad();
    const tapegrad::matrix& x = c.input(0);
    c.contribute(0, [&](std::size_t i, std::size_t j) {
        const double d = g(i, j) * 2.0 * x(i, j);
        return faulty && i == 1 && j == 2 ? 2.0 * d : d;
    });
}

inline const tapegrad::op_descriptor user_square_op{
    "square", 1, {tapegrad::input_domain::any}, user_square_forward, user_square_backward<false>, {}};
inline const tapegrad::op_descriptor faulty_square_op{
    "faulty_square", 1, {tapegrad::input_domain::any}, user_square_forward, user_square_backward<true>, {}};

// A fresh folder under the system temp folder for the files one test writes,
// removed afterwards (the process id keeps parallel runs of two builds apart).
class scratch_dir {
public:
    explicit scratch_dir(const std::string& name)
        : path_(std::filesystem::temp_directory_path() /
                ("tapegrad_test_" + name + "_" + std::to_string(static_cast<long>(::getpid())))) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~scratch_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;

    // The path of file `name` in the folder, as a string.
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Writes `bytes` to `path` (replacing it) and returns the path.
inline std::string write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    REQUIRE(out.good());
    return path;
}

inline std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}


// Two parameters: W (3,4), whose gradient goes through the custom square, and
// b (3,1), whose gradient goes through library ops only. function(true) has the
// planted bug in W's element (1, 2).
struct square_problem {
    tapegrad::parameter W{"W", tapegrad::matrix{{0.9, -1.1, 0.6, 1.3}, {-0.7, 1.2, 1.5, -0.8}, {1.4, -0.5, 0.75, 1.05}}};
    tapegrad::parameter b{"b", tapegrad::matrix{{0.3}, {-0.4}, {0.2}}};
    tapegrad::matrix c = {{1.5}, {-0.5}, {2.0}};

    tapegrad::scalar_function function(bool faulty) {
        return [this, faulty](tapegrad::tape& t) {
            const tapegrad::var w = t.watch(W);
            const tapegrad::var sq = tapegrad::record_op(faulty ? faulty_square_op : user_square_op, {w});
            return tapegrad::sum(sq) + tapegrad::sum(tapegrad::tanh(t.watch(b)) * t.constant(c));
        };
    }
    std::vector<tapegrad::parameter*> params() { return {&W, &b}; }
};

}  // namespace test_support
