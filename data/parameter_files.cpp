#include <tapegrad/data/parameter_files.hpp>

#include <filesystem>
#include <system_error>
#include <utility>

#include <tapegrad/data/npy.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad {

void save_parameters(const std::vector<parameter*>& params, const std::string& directory) {
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) throw file_error("save_parameters: cannot create the folder " + directory + ": " + ec.message());
    for (const parameter* p : params) save_npy(directory + "/" + p->name + ".npy", p->value());
}

void load_parameters(const std::vector<parameter*>& params, const std::string& directory) {
    std::vector<matrix> values;
    for (const parameter* p : params) {
        const std::string path = directory + "/" + p->name + ".npy";
        matrix v = load_npy(path);
        if (shape_of(v) != shape_of(p->value())) {
            throw file_error("load_parameters: " + path + " holds shape " + shape_string(v) + " but parameter " +
                             p->name + " has shape " + shape_string(p->value()));
        }
        values.push_back(std::move(v));
    }
    for (std::size_t i = 0; i < params.size(); ++i) params[i]->set_value(std::move(values[i]));
}

}  // namespace tapegrad
