#include <tapegrad/models/progress_line.hpp>

#include <cstdio>
#include <utility>

#include <unistd.h>

namespace tapegrad {

progress_line::progress_line(bool enabled, std::string label, std::int64_t total, std::string unit)
    : enabled_(enabled && ::isatty(STDOUT_FILENO) == 1),
      label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)) {}

progress_line::~progress_line() { finish(); }

void progress_line::update(std::int64_t epoch, double cost) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    const int percent = total_ > 0 ? static_cast<int>(100 * epoch / total_) : 100;
    std::printf("\r  %s: %s %lld of %lld (%d%%), cost %.6g   ", label_.c_str(), unit_.c_str(),
                static_cast<long long>(epoch), static_cast<long long>(total_), percent, cost);
    std::fflush(stdout);
}

void progress_line::finish() {
    if (!drawn_) return;
    std::printf("\r%*s\r", 72, "");
    std::fflush(stdout);
    drawn_ = false;
}

}  // namespace tapegrad
