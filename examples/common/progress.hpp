// A one-line progress display for long training runs: shown only on a
// terminal and without --quiet, redrawn at most ten times a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace tapegrad::examples {

class progress {
public:
    // enabled: the caller's choice (not --quiet); it is also off when stdout is not a terminal.
    progress(bool enabled, std::string label, std::int64_t total);
    ~progress();
    void update(std::int64_t iteration, double cost);
    // Clears the line so normal output continues cleanly.
    void finish();

private:
    bool enabled_;
    std::string label_;
    std::int64_t total_;
    std::chrono::steady_clock::time_point last_;
    bool drawn_ = false;
};

}  // namespace tapegrad::examples
