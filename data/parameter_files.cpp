#include <tapegrad/data/parameter_files.hpp>

#include <filesystem>
#include <system_error>
#include <utility>

#include <tapegrad/data/npy.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad {

std::string npy_path_in(const std::string& directory, const std::string& stem, const char* who) {
    if (stem.empty() || stem == "." || stem == ".." || stem.find('/') != std::string::npos ||
        stem.find('\0') != std::string::npos) {
        throw value_error(std::string(who) + ": the name '" + stem + "' cannot name a file in " + directory +
                          " (it must not be empty, '.' or '..', or hold a '/')");
    }
    return directory + "/" + stem + ".npy";
}

void save_parameters(const std::vector<parameter*>& params, const std::string& directory) {
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < params.size(); ++i) {
        paths.push_back(npy_path_in(directory, params[i]->name, "save_parameters"));
        for (std::size_t j = 0; j < i; ++j) {
            if (params[j]->name == params[i]->name) {
                throw value_error("save_parameters: two parameters are named '" + params[i]->name +
                                  "'; each needs its own file");
            }
        }
    }
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) throw file_error("save_parameters: cannot create the folder " + directory + ": " + ec.message());
    for (std::size_t i = 0; i < params.size(); ++i) save_npy(paths[i], params[i]->value());
}

void load_parameters(const std::vector<parameter*>& params, const std::string& directory) {
    std::vector<matrix> values;
    for (const parameter* p : params) {
        const std::string path = npy_path_in(directory, p->name, "load_parameters");
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
