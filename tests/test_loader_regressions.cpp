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

#if __has_include(<matio.h>)
#include <matio.h>
#define TAPEGRAD_TEST_HAVE_MATIO 1
#else
#define TAPEGRAD_TEST_HAVE_MATIO 0
#endif

#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "../fuzz/mat_bytes.hpp"
#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;
namespace fs = std::filesystem;
namespace mat = tapegrad_fuzz;

namespace {

using test_support::scratch_dir;
using test_support::write_bytes;

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

// load_mat_dataset(path) must throw a file_error whose message holds path and
// every part, within a second or two (no gigabyte allocation).
void expect_mat_refused(const std::string& path, std::initializer_list<std::string> parts) {
    std::vector<std::string> all{path};
    all.insert(all.end(), parts.begin(), parts.end());
    std::string message;
    const double took = seconds([&] {
        try {
            (void)load_mat_dataset(path);
        } catch (const file_error& e) {
            message = e.what();
        }
    });
    CAPTURE(path, message);
    REQUIRE(!message.empty());
    for (const std::string& p : all) CHECK(message.find(p) != std::string::npos);
    CHECK(took < 2.0);
}

// The four variables of a small valid data set, written by hand (uncompressed).
std::string small_variables() {
    return mat::array(6, {3, 2}, "X", mat::doubles({1, 3, 5, 2, 4, 6})) +
           mat::array(6, {3, 1}, "y", mat::doubles({0, 1, 1})) +
           mat::array(6, {2, 2}, "Xval", mat::doubles({7, 9, 8, 10})) +
           mat::array(6, {2, 1}, "yval", mat::doubles({1, 0}));
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
// .mat: declared sizes that the file cannot hold. libmatio allocates them before
// it finds the bytes missing; load_mat_dataset must refuse them first.

TEST_CASE("regressions: .mat variables declaring 100000 x 100000 doubles in a small file are refused at once",
          "[regressions][mat]") {
    const scratch_dir dir("mat_huge_dims");
    const std::string plain = mat::header() + small_variables();
    REQUIRE_NOTHROW(load_mat_dataset(write_bytes(dir / "good.mat", plain)));
    REQUIRE_NOTHROW(load_mat_dataset(write_bytes(dir / "good_zlib.mat", mat::compress_variables(plain))));
    // X's dimensions patched to 100000 x 100000 (80 GB of doubles) in a 472-byte file.
    const std::string huge = mat::with_dims(plain, 0, 100000, 100000);
    expect_mat_refused(write_bytes(dir / "huge.mat", huge),
                       {"variable at byte 128 ('X')", "declares 100000 x 100000 elements", "holds 48 bytes"});
    // The same inside a zlib stream, as MATLAB's -v7 files store variables.
    const std::string zipped = mat::compress_variables(huge);
    REQUIRE(zipped.size() < 1024);
    expect_mat_refused(write_bytes(dir / "huge_zlib.mat", zipped),
                       {"variable at byte 128 ('X')", "declares 100000 x 100000 elements", "holds 48 bytes"});
    // The last variable, after three good ones.
    expect_mat_refused(write_bytes(dir / "huge_yval.mat", mat::compress_variables(mat::with_dims(plain, 3, 100000, 100000))),
                       {"('yval')", "declares 100000 x 100000 elements"});
    // A few more elements than the data holds is refused too (libmatio would read
    // past the variable into the next one).
    expect_mat_refused(write_bytes(dir / "one_row_more.mat", mat::with_dims(plain, 0, 4, 2)),
                       {"('X')", "declares 4 x 2 elements but its data holds 48 bytes of 8-byte numbers"});
}

// Found by fuzz_mat: a dimensions tag declaring 1.5 GB of dimensions, which
// libmatio's Mat_VarReadInfo allocates (8 bytes per declared dimension) while
// looking for a variable, before any check of ours could see the variable.
TEST_CASE("regressions: a .mat dimensions tag larger than its variable is refused", "[regressions][mat]") {
    const scratch_dir dir("mat_dims_tag");
    std::string bytes = mat::header() + small_variables();
    const std::size_t y = mat::elements(bytes).at(1);
    mat::put_u32(bytes, y + 28, 0x5b000008);  // y's dimensions tag: 1526726664 bytes
    expect_mat_refused(write_bytes(dir / "dims_tag.mat", bytes),
                       {"variable at byte " + std::to_string(y), "its dimensions take 1526726664 bytes but only"});
    expect_mat_refused(write_bytes(dir / "dims_tag_zlib.mat", mat::compress_variables(bytes)),
                       {"variable at byte", "its dimensions take 1526726664 bytes"});
}

// Found by fuzz_mat: an object (opaque class 17), whose dimensions and name
// libmatio reads anyway in an uncompressed file: a dimensions tag declaring
// 3.5 GB, or (after a dimensions tag of another type, whose data libmatio does
// not skip) a name declaring 2.8 GB. The fuzzer's inputs as found, and by hand.
TEST_CASE("regressions: an opaque .mat variable with a huge dimensions or name tag is refused", "[regressions][mat]") {
    const std::string found = std::string(TAPEGRAD_SOURCE_DIR) + "/tests/data/regressions/";
    expect_mat_refused(found + "mat_opaque_dims_tag.mat",
                       {"variable at byte 128", "the dimensions: 3503345872 bytes declared, but only 88 remain"});
    expect_mat_refused(found + "mat_opaque_name_tag.mat",
                       {"variable at byte 128", "the name: 2785017857 bytes declared, but only 80 remain"});
    const scratch_dir dir("mat_opaque");
    const std::string flags = mat::element(6, mat::u32_bytes(17) + mat::u32_bytes(0));
    const std::string dims_tag = mat::u32_bytes(5) + mat::u32_bytes(0xd0d0d0d0);
    expect_mat_refused(write_bytes(dir / "dims.mat", mat::header() + mat::element(14, flags + dims_tag + std::string(64, '\0')) +
                                                         small_variables()),
                       {"variable at byte 128", "the dimensions: 3503345872 bytes declared"});
    const std::string other_tag = mat::u32_bytes(0x1005) + mat::u32_bytes(8);
    const std::string name_tag = mat::u32_bytes(1) + mat::u32_bytes(0xa6000001);
    expect_mat_refused(write_bytes(dir / "name.mat", mat::header() + mat::element(14, flags + other_tag + name_tag +
                                                                                       std::string(64, '\0')) +
                                                         small_variables()),
                       {"variable at byte 128", "the name: 2785017857 bytes declared"});
    // Compressed, libmatio reads neither: such an object next to the data set is fine.
    REQUIRE_NOTHROW(load_mat_dataset(write_bytes(
        dir / "compressed.mat",
        mat::header() + mat::compress_variables(mat::header() + mat::element(14, flags + other_tag + name_tag)).substr(128) +
            small_variables())));
}

TEST_CASE("regressions: .mat cells and structs declaring more elements than they hold are refused",
          "[regressions][mat]") {
    const scratch_dir dir("mat_cells");
    const std::string good = small_variables();
    // A cell array of 100000 x 100000 cells (libmatio callocs 80 GB of cell pointers), first or compressed.
    const std::string cells = mat::array(1, {100000, 100000}, "c", mat::array(6, {1, 1}, "", mat::doubles({1})));
    expect_mat_refused(write_bytes(dir / "cells.mat", mat::header() + cells + good),
                       {"('c')", "declares 100000 x 100000 cells"});
    expect_mat_refused(write_bytes(dir / "cells_zlib.mat", mat::compress_variables(mat::header() + cells + good)),
                       {"('c')", "declares 100000 x 100000 cells"});
    // A struct of 100000 x 100000 elements with one field.
    const std::string fields = mat::u32_bytes(0x00040005) + mat::u32_bytes(8) + mat::element(1, std::string("f\0\0\0\0\0\0\0", 8));
    const std::string structs = mat::array(2, {100000, 100000}, "s", fields + mat::array(6, {1, 1}, "", mat::doubles({1})));
    expect_mat_refused(write_bytes(dir / "structs.mat", mat::header() + good + structs),
                       {"('s')", "declares 100000 x 100000 structs of 1 fields"});
    // A cell whose one element declares 100000 x 100000 doubles.
    const std::string inner = mat::array(1, {1, 1}, "c", mat::array(6, {100000, 100000}, "", mat::doubles({1})));
    expect_mat_refused(write_bytes(dir / "inner.mat", mat::compress_variables(mat::header() + inner + good)),
                       {"('c')", "declares 100000 x 100000 elements"});
    // An object (class 3) array of 100000 x 100000 objects; a sparse matrix of
    // that size with no nonzero elements is fine.
    expect_mat_refused(write_bytes(dir / "objects.mat", mat::header() + mat::array(3, {100000, 100000}, "o", "") + good),
                       {"('o')", "declares 100000 x 100000 elements, more than its 0 bytes"});
    const std::string sparse = mat::array(5, {100000, 100000}, "s", mat::element(5, "") + mat::element(5, std::string(400004, '\0')) +
                                                                      mat::doubles({}));
    REQUIRE_NOTHROW(load_mat_dataset(write_bytes(dir / "sparse.mat", mat::header() + sparse + good)));
    // Cells nested 100 deep (libmatio recurses once per level).
    std::string nested = mat::array(6, {1, 1}, "", mat::doubles({1}));
    for (int k = 0; k < 100; ++k) nested = mat::array(1, {1, 1}, k == 99 ? "deep" : "", nested);
    expect_mat_refused(write_bytes(dir / "nested.mat", mat::header() + nested + good), {"('deep')", "nested more than 64 deep"});
    // A good cell and struct next to the data set do not matter.
    REQUIRE_NOTHROW(load_mat_dataset(write_bytes(
        dir / "extras.mat", mat::compress_variables(mat::header() + mat::array(1, {1, 1}, "c", mat::array(6, {1, 1}, "", mat::doubles({1}))) +
                                                    good + mat::array(2, {1, 1}, "s", fields + mat::array(6, {1, 1}, "", mat::doubles({2})))))));
}

// Found by fuzz_mat: libmatio reads each handle of an uncompressed function
// handle array (class 16) as a whole new variable from where it stands, and
// when one fails it frees them with free() instead of Mat_VarFree, leaking
// their dimensions and names (LeakSanitizer's report). Function handles are
// refused before libmatio sees them, also nested in a cell or compressed.
TEST_CASE("regressions: .mat function handles are refused before libmatio reads them", "[regressions][mat]") {
    expect_mat_refused(std::string(TAPEGRAD_SOURCE_DIR) + "/tests/data/regressions/mat_function_handle_leak.mat",
                       {"variable at byte 128 ('X')", "a function handle (MATLAB class 16)"});
    const scratch_dir dir("mat_function");
    const std::string handle = mat::array(16, {1, 3}, "f", mat::array(6, {1, 1}, "", mat::doubles({1})));
    expect_mat_refused(write_bytes(dir / "handle.mat", mat::header() + handle + small_variables()),
                       {"variable at byte 128", "a function handle"});
    const std::string in_cell = mat::header() + mat::array(1, {1, 1}, "c", handle) + small_variables();
    expect_mat_refused(write_bytes(dir / "in_cell.mat", in_cell), {"('c')", "a function handle"});
    expect_mat_refused(write_bytes(dir / "in_cell_zlib.mat", mat::compress_variables(in_cell)), {"('c')", "a function handle"});
}

#if TAPEGRAD_TEST_HAVE_MATIO
// The checks must not refuse valid files: data that zlib compresses a thousand
// times, and doubles that MATLAB stores as uint8.
TEST_CASE("regressions: valid .mat files with highly compressed or narrowed data still load", "[regressions][mat]") {
    const scratch_dir dir("mat_valid");
    const std::size_t m = 100000;
    std::vector<double> zeros(2 * m, 0.0), labels(m, 1.0);
    std::vector<unsigned char> small_labels(m, 1);
    mat_t* file = Mat_CreateVer((dir / "zeros.mat").c_str(), nullptr, MAT_FT_MAT5);
    REQUIRE(file != nullptr);
    std::size_t x_dims[2] = {m, 2}, y_dims[2] = {m, 1};
    matvar_t* vars[4] = {
        Mat_VarCreate("X", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, x_dims, zeros.data(), 0),
        Mat_VarCreate("y", MAT_C_DOUBLE, MAT_T_UINT8, 2, y_dims, small_labels.data(), 0),  // stored as uint8
        Mat_VarCreate("Xval", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, x_dims, zeros.data(), 0),
        Mat_VarCreate("yval", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, y_dims, labels.data(), 0),
    };
    for (matvar_t* v : vars) {
        REQUIRE(v != nullptr);
        CHECK(Mat_VarWrite(file, v, MAT_COMPRESSION_ZLIB) == 0);
        Mat_VarFree(v);
    }
    Mat_Close(file);
    CAPTURE(fs::file_size(dir / "zeros.mat"));
    CHECK(fs::file_size(dir / "zeros.mat") < 20000);  // 4.8 MB of data
    const split_dataset s = load_mat_dataset(dir / "zeros.mat");
    CHECK(shape_of(s.train.X) == shape2{2, m});
    CHECK(shape_of(s.test.Y) == shape2{1, m});
    CHECK(s.train.Y(0, m - 1) == 1.0);
}
#endif

// ---------------------------------------------------------------------------
// Every seed of the fuzz corpus and every committed finding: loaded, or refused
// with a file_error; never another exception (sanitizer builds also check the
// memory accesses).

TEST_CASE("regressions: every fuzz seed and finding loads or is refused with a file_error", "[regressions]") {
    const fs::path source(TAPEGRAD_SOURCE_DIR);
    std::size_t files = 0;
    for (const fs::path& folder : {source / "fuzz/corpus/npy", source / "fuzz/corpus/csv", source / "fuzz/corpus/mat",
                                   source / "tests/data/regressions"}) {
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
    CHECK(files > 60);
}
