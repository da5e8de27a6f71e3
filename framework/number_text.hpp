// How messages print a number: the shortest text that reads back as the same
// double (0.0007, 1e-08, 0.1), not std::to_string's fixed six decimals.
#pragma once

#include <string>

namespace tapegrad {

std::string number_text(double v);

}  // namespace tapegrad
