// Shared by the fuzz targets: the loaders take a path, so each input is written
// to a temporary file of this process and the loader is called on it.
// tapegrad::error (and its subclasses) is the expected outcome for bad input;
// any other exception aborts, so libFuzzer reports it with the input as a
// finding, like a crash, a sanitizer report, a hang or an allocation above
// -malloc_limit_mb (default: -rss_limit_mb).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <typeinfo>

#include <unistd.h>

#include <tapegrad/framework/error.hpp>

namespace tapegrad_fuzz {

// The temporary file of this process for target `name` (under /dev/shm when it
// exists: the inputs never touch a disk), removed when the process exits normally.
class input_file {
public:
    input_file(const char* name, const char* extension) {
        std::error_code ec;
        std::filesystem::path dir = "/dev/shm";
        if (!std::filesystem::is_directory(dir, ec)) dir = std::filesystem::temp_directory_path();
        path_ = (dir / ("tapegrad_fuzz_" + std::string(name) + "_" + std::to_string(static_cast<long>(::getpid())) +
                        extension))
                    .string();
    }
    ~input_file() { std::remove(path_.c_str()); }
    input_file(const input_file&) = delete;
    input_file& operator=(const input_file&) = delete;

    // Replaces the file's content by the input's bytes.
    const std::string& write(const std::uint8_t* data, std::size_t size) {
        std::FILE* f = std::fopen(path_.c_str(), "wb");
        if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
            std::perror(path_.c_str());
            std::abort();  // not a finding about the input, but nothing can be tested
        }
        return path_;
    }

private:
    std::string path_;
};

// Calls load(path) on the input written to `file`: a tapegrad::error is fine,
// anything else thrown is reported and aborts.
template <class Load>
int run(input_file& file, const std::uint8_t* data, std::size_t size, Load&& load) {
    const std::string& path = file.write(data, size);
    try {
        load(path);
    } catch (const tapegrad::error&) {
        // the expected refusal of a bad file
    } catch (const std::exception& e) {
        std::fprintf(stderr, "finding: %s threw %s (not a tapegrad::error): %s\n", path.c_str(), typeid(e).name(),
                     e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "finding: %s threw an exception that is not a std::exception\n", path.c_str());
        std::abort();
    }
    return 0;
}

}  // namespace tapegrad_fuzz
