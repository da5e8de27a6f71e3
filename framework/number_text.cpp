#include <tapegrad/framework/number_text.hpp>

#include <charconv>

namespace tapegrad {

std::string number_text(double v) {
    char buf[32];  // the longest shortest form of a double is 24 characters
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

}  // namespace tapegrad
