#include "progress.hpp"

#include <cstdio>

#include <unistd.h>

namespace tapegrad::examples {

progress::progress(bool enabled, std::string label, std::int64_t total)
    : enabled_(enabled && ::isatty(STDOUT_FILENO) == 1), label_(std::move(label)), total_(total) {}

progress::~progress() { finish(); }

void progress::update(std::int64_t iteration, double cost) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    const int percent = total_ > 0 ? static_cast<int>(100 * iteration / total_) : 100;
    std::printf("\r  %s: iteration %lld of %lld (%d%%), cost %.6g   ", label_.c_str(), static_cast<long long>(iteration),
                static_cast<long long>(total_), percent, cost);
    std::fflush(stdout);
}

void progress::finish() {
    if (!drawn_) return;
    std::printf("\r%*s\r", 72, "");
    std::fflush(stdout);
    drawn_ = false;
}

}  // namespace tapegrad::examples
