// libFuzzer target: load_npy, then load_npy_dataset on what load_npy accepts.
#include <cstddef>
#include <cstdint>

#include <tapegrad/data/npy_dataset.hpp>
#include <tapegrad/data/npy.hpp>

#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static tapegrad_fuzz::input_file file("npy", ".npy");
    return tapegrad_fuzz::run(file, data, size, [](const std::string& path) {
        (void)tapegrad::load_npy(path);
        (void)tapegrad::load_npy_dataset(path);  // reached only when the file is a valid .npy
    });
}
