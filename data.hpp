// tapegrad's data library (tapegrad::data): labelled data sets, their loaders
// (.csv, .npy, .mat), numpy's .npy format, parameters saved as .npy files, and
// generated data sets. Include it beside <tapegrad/tapegrad.hpp>.
#pragma once

#include <tapegrad/data/csv_dataset.hpp>
#include <tapegrad/data/dataset.hpp>
#include <tapegrad/data/linspace.hpp>
#include <tapegrad/data/make_circles.hpp>
#include <tapegrad/data/make_moons.hpp>
#include <tapegrad/data/make_noisy_field.hpp>
#include <tapegrad/data/make_spirals.hpp>
#include <tapegrad/data/mat_dataset.hpp>
#include <tapegrad/data/npy.hpp>
#include <tapegrad/data/npy_dataset.hpp>
#include <tapegrad/data/optimizer_files.hpp>
#include <tapegrad/data/parameter_files.hpp>
#include <tapegrad/data/staged_file.hpp>
