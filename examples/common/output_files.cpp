#include "output_files.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <tapegrad/data/staged_file.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad::examples {

namespace fs = std::filesystem;

void prepare_output_dir(const std::string& dir, const std::string& longest_name) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
        throw std::runtime_error("cannot create the output folder '" + dir + "'" + (ec ? ": " + ec.message() : ""));
    }
    try {
        staged_file probe((fs::path(dir) / longest_name).string());  // removed again when it goes
    } catch (const file_error& e) {
        throw std::runtime_error("cannot write in the output folder '" + dir + "': " + e.what());
    }
}

std::string python_float(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, r.ptr);
    // Python writes integral floats as "1.0" and uses e+XX exponents with two digits.
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
}

}  // namespace tapegrad::examples
