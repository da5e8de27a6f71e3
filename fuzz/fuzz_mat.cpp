// libFuzzer target: load_mat_dataset (our layout checks, then libmatio).
#include <cstddef>
#include <cstdint>

#include <tapegrad/data/mat_dataset.hpp>

#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static tapegrad_fuzz::input_file file("mat", ".mat");
    return tapegrad_fuzz::run(file, data, size, [](const std::string& path) { (void)tapegrad::load_mat_dataset(path); });
}
