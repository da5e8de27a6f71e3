// Output folders and files of the example programs: created up front (so an
// unwritable folder fails before any work), each file written under a
// temporary name and renamed, so no half-written file is ever left behind.
#pragma once

#include <string>

namespace tapegrad::examples {

// Creates `dir` if needed and checks that a file can be written in it; throws
// std::runtime_error naming the folder otherwise.
void prepare_output_dir(const std::string& dir);

// Writes `content` to `path` through a temporary file in the same folder and a rename.
void write_file_atomically(const std::string& path, const std::string& content);

// A temporary name next to `path` for tools that write files themselves
// (gnuplot); rename it with commit_file once it is complete.
std::string temporary_name(const std::string& path);
void commit_file(const std::string& temporary, const std::string& path);

// A double as Python prints it (the shortest text that reads back the same
// value; "inf", "nan"), so costs print like the course's.
std::string python_float(double v);

}  // namespace tapegrad::examples
