// The experiments' pictures, drawn by gnuplot (Debian's gnuplot-nox) through a
// pipe: a cost curve per run (SVG) and a decision boundary per trained model
// (PNG). gnuplot is well kept and draws better axes and legends than a
// home-made renderer would; the programs check for it before any work.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/data/dataset.hpp>
#include <tapegrad/models/mlp.hpp>

namespace tapegrad::examples {

// Throws std::runtime_error when gnuplot cannot be run.
void require_gnuplot();

// The recorded costs against the iteration; infinite costs are left out of the
// curve and said in the title.
void plot_costs(const std::string& path, const std::string& title,
                const std::vector<std::pair<std::int64_t, double>>& costs);

// Several runs' cost curves in one picture (an SVG), one colour and legend entry
// per run; infinite costs are left out.
void plot_cost_curves(const std::string& path, const std::string& title,
                      const std::vector<std::pair<std::string, std::vector<std::pair<std::int64_t, double>>>>& curves);

// The model's prediction over the plane around the points (a colour per class:
// two for a sigmoid output, K for softmax) with the data points on top, coloured
// by label, as the course shows it. 2-D inputs only.
void plot_decision_boundary(const std::string& path, const std::string& title, const mlp& model,
                            const dataset& points);

}  // namespace tapegrad::examples
