// libFuzzer target: load_csv_dataset.
#include <cstddef>
#include <cstdint>

#include <tapegrad/data/csv_dataset.hpp>

#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static tapegrad_fuzz::input_file file("csv", ".csv");
    return tapegrad_fuzz::run(file, data, size, [](const std::string& path) { (void)tapegrad::load_csv_dataset(path); });
}
