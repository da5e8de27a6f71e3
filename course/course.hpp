// Everything of the course (library tapegrad_course, not installed): the
// hand-written backprop oracle, the dictionary-style gradient checks, the
// course's constants and data recipes.
#pragma once

#include <tapegrad/course/course_constants.hpp>
#include <tapegrad/course/course_data.hpp>
#include <tapegrad/course/course_network.hpp>
#include <tapegrad/course/dictionary_check.hpp>
