// progress_line: a one-line progress display for long training runs, on
// standard output when it is a terminal (never in a file or a pipe), redrawn at
// most ten times a second and cleared by finish().
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace tapegrad {

class progress_line {
public:
    // enabled: the caller's choice; it is also off when stdout is not a terminal.
    // unit: what is counted ("epoch", "iteration").
    progress_line(bool enabled, std::string label, std::int64_t total, std::string unit = "epoch");
    ~progress_line();
    progress_line(const progress_line&) = delete;
    progress_line& operator=(const progress_line&) = delete;
    // "label: epoch 300 of 10000 (3%), cost 0.69"
    void update(std::int64_t epoch, double cost);
    // Clears the line so normal output continues cleanly.
    void finish();

private:
    bool enabled_;
    std::string label_;
    std::int64_t total_;
    std::string unit_;
    std::chrono::steady_clock::time_point last_;
    bool drawn_ = false;
};

}  // namespace tapegrad
