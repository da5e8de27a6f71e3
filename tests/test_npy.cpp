// .npy reading and writing: files numpy wrote (tests/data/npy, made by
// tests/data/make_npy_fixtures.py), round trips, and every kind of bad file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& name) {
    return std::string(TAPEGRAD_SOURCE_DIR) + "/tests/data/npy/" + name;
}

// A fresh folder for files this test writes.
fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("tapegrad_test_npy_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void write_bytes(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("load_npy reads what numpy wrote, in every supported dtype and order", "[npy]") {
    for (const char* name : {"f8_c.npy", "f8_fortran.npy", "f4.npy"}) {
        CAPTURE(name);
        const matrix m = load_npy(fixture(name));
        REQUIRE(shape_of(m) == shape2{3, 4});
        for (std::size_t i = 0; i < 3; ++i) {
            for (std::size_t j = 0; j < 4; ++j) CHECK(m(i, j) == static_cast<double>(i * 10 + j) + 0.5);
        }
    }
    for (const char* name : {"i8.npy", "i4.npy", "u1.npy"}) {
        CAPTURE(name);
        const matrix m = load_npy(fixture(name));
        REQUIRE(shape_of(m) == shape2{3, 4});
        CHECK(m(2, 3) == 23.0);
        CHECK(m(1, 0) == 10.0);
    }
    const matrix b = load_npy(fixture("b1.npy"));
    CHECK(b(0, 1) == 1.0);
    CHECK(b(0, 2) == 0.0);
    const matrix v = load_npy(fixture("vector.npy"));  // 1-D -> a row
    CHECK(shape_of(v) == shape2{1, 5});
    CHECK(v(0, 4) == 4.5);
    const matrix s = load_npy(fixture("scalar.npy"));  // 0-D -> 1x1
    CHECK(shape_of(s) == shape2{1, 1});
    CHECK(s(0, 0) == 2.5);
    CHECK(shape_of(load_npy(fixture("empty_rows.npy"))) == shape2{0, 3});
}

TEST_CASE("save_npy writes what load_npy reads back bit for bit, in numpy's layout", "[npy]") {
    const fs::path dir = scratch("roundtrip");
    random_state rng(5);
    const matrix m = rng.randn(7, 3);
    save_npy((dir / "m.npy").string(), m);
    CHECK(test_support::bitwise_equal(load_npy((dir / "m.npy").string()), m));
    // Byte for byte what numpy writes for the same array.
    save_npy((dir / "grid.npy").string(), load_npy(fixture("f8_c.npy")));
    CHECK(read_bytes(dir / "grid.npy") == read_bytes(fixture("f8_c.npy")));
}

TEST_CASE("load_npy rejects bad files with a message naming the file", "[npy]") {
    const fs::path dir = scratch("bad");
    const std::string good = read_bytes(fixture("f8_c.npy"));
    auto expect = [&](const std::string& name, const std::string& bytes, const std::string& what) {
        const fs::path path = dir / name;
        write_bytes(path, bytes);
        CAPTURE(name);
        CHECK_THROWS_MATCHES(load_npy(path.string()), file_error,
                             test_support::message_contains({path.string(), what}));
    };
    expect("empty.npy", "", "empty");
    expect("short.npy", good.substr(0, 7), "truncated");
    expect("magic.npy", "PK\x03\x04" + good.substr(4), "not a .npy file");
    expect("cut_header.npy", good.substr(0, 40), "truncated");
    expect("cut_data.npy", good.substr(0, good.size() - 8), "truncated");
    expect("text.npy", "x1,x2,y\n1,2,0\n", "not a .npy file");
    std::string huge = good;
    const std::size_t at = huge.find("(3, 4)");
    huge.replace(at, 6, "(99999999, 99999999)");
    expect("huge.npy", huge, "truncated: the header declares shape (99999999, 99999999)");
    std::string dtype = good;
    dtype.replace(dtype.find("<f8"), 3, "<c16");
    expect("complex.npy", dtype, "unsupported dtype");
    CHECK_THROWS_MATCHES(load_npy(fixture("three_d.npy")), file_error, test_support::message_contains({"3 dimensions"}));
    CHECK_THROWS_MATCHES(load_npy(fixture("big_endian.npy")), file_error,
                         test_support::message_contains({"big_endian.npy", "unsupported dtype '>f8'"}));
    CHECK_THROWS_MATCHES(load_npy((dir / "missing.npy").string()), file_error,
                         test_support::message_contains({"missing.npy", "cannot open"}));
    CHECK_THROWS_MATCHES(save_npy((dir / "no_such_dir" / "x.npy").string(), make_matrix(1, 1)), file_error,
                         test_support::message_contains({"no_such_dir", "cannot open the file for writing"}));
}

TEST_CASE("save_npy replaces a file whole or not at all", "[npy]") {
    const fs::path dir = scratch("atomic");
    const std::string path = (dir / "m.npy").string();
    save_npy(path, make_matrix(2, 2, 1.0));
    save_npy(path, make_matrix(3, 1, 2.0));  // replaced
    CHECK(shape_of(load_npy(path)) == shape2{3, 1});
    // A folder in the way of the target: the write fails, the temporary is gone.
    fs::create_directories(dir / "taken.npy");
    CHECK_THROWS_MATCHES(save_npy((dir / "taken.npy").string(), make_matrix(1, 1)), file_error,
                         test_support::message_contains({"taken.npy"}));
    for (const auto& entry : fs::directory_iterator(dir)) {
        CAPTURE(entry.path().string());
        CHECK(entry.path().string().find(".tmp-") == std::string::npos);
    }
}
