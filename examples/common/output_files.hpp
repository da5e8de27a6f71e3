// Output folders and files of the example programs: the folder is created and
// tried up front (so an unwritable folder, or a path too long for the files the
// program will write, fails before any work); every file is written through a
// staged file (data/staged_file.hpp), so none is ever half-written.
#pragma once

#include <string>

namespace tapegrad::examples {

// Creates `dir` if needed and checks that a file named like the longest one the
// program will write (`longest_name`) can be created in it; throws
// std::runtime_error naming the folder otherwise.
void prepare_output_dir(const std::string& dir, const std::string& longest_name);

// A double as Python prints it (the shortest text that reads back the same
// value; "inf", "nan"), so costs print like the course's.
std::string python_float(double v);

}  // namespace tapegrad::examples
