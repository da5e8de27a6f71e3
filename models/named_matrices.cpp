#include <tapegrad/models/named_matrices.hpp>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

const matrix& find_named(const named_matrices& d, const std::string& name) {
    for (const auto& [key, m] : d) {
        if (key == name) return m;
    }
    std::string keys;
    for (const auto& entry : d) keys += (keys.empty() ? "" : ", ") + entry.first;
    throw value_error("no matrix named '" + name + "' (have: " + keys + ")");
}

}  // namespace tapegrad
