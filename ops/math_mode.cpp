#include <tapegrad/ops/math_mode.hpp>

#include <atomic>
#include <cstdlib>
#include <string>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

namespace {

constexpr int unset = -1;
// One relaxed load per op call: the mode is a setting, not a synchronisation.
std::atomic<int> mode{unset};

int mode_from_environment() {
    const char* text = std::getenv("TAPEGRAD_MATH");
    if (text == nullptr || std::string(text) == "vectorized") return static_cast<int>(math_mode::vectorized);
    if (std::string(text) == "glibc") return static_cast<int>(math_mode::glibc);
    throw value_error("TAPEGRAD_MATH is \"" + std::string(text) +
                      "\", expected \"vectorized\" or \"glibc\" (or leave it "
                      "unset for vectorized)");
}

}  // namespace

math_mode current_math_mode() {
    int m = mode.load(std::memory_order_relaxed);
    if (m == unset) {
        const int from_environment = mode_from_environment();
        // A set_math_mode that came first wins.
        if (mode.compare_exchange_strong(m, from_environment, std::memory_order_relaxed)) m = from_environment;
    }
    return static_cast<math_mode>(m);
}

void set_math_mode(math_mode m) noexcept { mode.store(static_cast<int>(m), std::memory_order_relaxed); }

const char* math_mode_name(math_mode m) noexcept { return m == math_mode::glibc ? "glibc" : "vectorized"; }

}  // namespace tapegrad
