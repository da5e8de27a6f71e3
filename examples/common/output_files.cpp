#include "output_files.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include <unistd.h>

namespace tapegrad::examples {

namespace fs = std::filesystem;

void prepare_output_dir(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
        throw std::runtime_error("cannot create the output folder '" + dir + "'" + (ec ? ": " + ec.message() : ""));
    }
    const std::string probe = temporary_name((fs::path(dir) / "probe").string());
    std::ofstream out(probe);
    if (!out) throw std::runtime_error("cannot write in the output folder '" + dir + "'");
    out.close();
    fs::remove(probe, ec);
}

std::string temporary_name(const std::string& path) {
    return path + ".tmp-" + std::to_string(::getpid());
}

void commit_file(const std::string& temporary, const std::string& path) {
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) {
        fs::remove(temporary, ec);
        throw std::runtime_error("cannot write '" + path + "'");
    }
}

void write_file_atomically(const std::string& path, const std::string& content) {
    const std::string tmp = temporary_name(path);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw std::runtime_error("cannot write '" + path + "'");
        }
    }
    commit_file(tmp, path);
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
