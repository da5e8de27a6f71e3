// Regressions found by fuzzing the file loaders (fuzz/): each case rebuilds the
// minimized input (or reads it from tests/data/regressions) and checks that it
// is refused with a file_error naming the file and the problem, quickly and
// without a huge allocation; and that every seed of fuzz/corpus and every
// committed finding loads or is refused with a file_error, nothing else.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;
namespace fs = std::filesystem;

namespace {

// A fresh folder for the files one test writes, removed afterwards.
class scratch_dir {
public:
    explicit scratch_dir(const std::string& name)
        : path_(fs::temp_directory_path() /
                ("tapegrad_test_regressions_" + name + "_" + std::to_string(static_cast<long>(::getpid())))) {
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~scratch_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

std::string write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    REQUIRE(out.good());
    return path;
}

// Seconds that f takes.
template <class F>
double seconds(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A .npy file (version 1.0) with the given header dict and data bytes.
std::string npy(const std::string& dict, const std::string& data = "") {
    std::string header = dict;
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    const auto len = static_cast<std::uint16_t>(header.size());
    return std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(len & 0xff) + static_cast<char>(len >> 8) + header +
           data;
}

}  // namespace

// ---------------------------------------------------------------------------
// .npy

// Found by fuzz_npy: shape (2**64 - 1, 0) passed the size check (no bytes are
// needed for 0 columns) and load_npy then looped over 2**64 - 1 empty rows.
TEST_CASE("regressions: a .npy shape with a huge dimension and a zero one neither hangs nor allocates",
          "[regressions][npy]") {
    const scratch_dir dir("npy_huge_zero");
    const std::string too_large =
        write_bytes(dir / "too_large.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (18446744073709551615, 0), }"));
    CHECK_THROWS_MATCHES(load_npy(too_large), file_error,
                         message_contains({too_large, "a dimension is too large", "(18446744073709551615, 0)"}));
    CHECK_THROWS_MATCHES(load_npy_dataset(too_large), file_error, message_contains({too_large, "too large"}));
    // numpy's largest dimension (2**63 - 1) with 0 columns is a valid empty array: it loads at once.
    const std::string largest =
        write_bytes(dir / "largest.npy", npy("{'descr': '<f8', 'fortran_order': True, 'shape': (9223372036854775807, 0), }"));
    matrix m;
    CHECK(seconds([&] { m = load_npy(largest); }) < 2.0);
    CHECK(shape_of(m) == shape2{9223372036854775807u, 0});
    CHECK_THROWS_MATCHES(load_npy_dataset(largest), file_error, message_contains({largest, "expected (m, n_x + 1)"}));
    const std::string rows_only =
        write_bytes(dir / "rows_only.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 9223372036854775807), }"));
    CHECK(shape_of(load_npy(rows_only)) == shape2{0, 9223372036854775807u});
    CHECK_THROWS_MATCHES(load_npy_dataset(rows_only), file_error, message_contains({rows_only, "the data set is empty"}));
}

TEST_CASE("regressions: a .npy header declaring more data than the file holds allocates nothing", "[regressions][npy]") {
    const scratch_dir dir("npy_huge");
    const std::string path =
        write_bytes(dir / "huge.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", "12345678"));
    CHECK(seconds([&] {
              CHECK_THROWS_MATCHES(load_npy(path), file_error,
                                   message_contains({path, "declares shape (100000, 100000)", "only 8 data bytes"}));
          }) < 2.0);
}

// ---------------------------------------------------------------------------
// Every seed of the fuzz corpus and every committed finding: loaded, or refused
// with a file_error; never another exception (sanitizer builds also check the
// memory accesses).

TEST_CASE("regressions: every fuzz seed and finding loads or is refused with a file_error", "[regressions]") {
    const fs::path source(TAPEGRAD_SOURCE_DIR);
    std::size_t files = 0;
    for (const fs::path& folder : {source / "fuzz/corpus/npy", source / "fuzz/corpus/csv"}) {
        REQUIRE(fs::is_directory(folder));
        for (const auto& entry : fs::directory_iterator(folder)) {
            const std::string path = entry.path().string();
            const std::string kind = folder.filename() == "regressions" ? entry.path().extension().string().substr(1)
                                                                         : folder.filename().string();
            CAPTURE(path);
            ++files;
            const double took = seconds([&] {
                try {
                    if (kind == "npy") {
                        (void)load_npy(path);
                        (void)load_npy_dataset(path);
                    } else if (kind == "csv") {
                        (void)load_csv_dataset(path);
                    } else {
                        REQUIRE(kind == "mat");
                        (void)load_mat_dataset(path);
                    }
                } catch (const file_error&) {
                    // refused: fine
                } catch (const std::exception& e) {
                    FAIL_CHECK("not a file_error: " << e.what());
                }
            });
            CHECK(took < 2.0);
        }
    }
    CHECK(files > 40);
}
