// tapegrad: tape-based reverse-mode automatic differentiation over xtensor.
// Include this one header to get the engine, every op and the gradient checker.
#pragma once

#include <tapegrad/framework/dataset.hpp>
#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/gradient_check.hpp>
#include <tapegrad/framework/make_circles.hpp>
#include <tapegrad/framework/make_noisy_field.hpp>
#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/named_matrices.hpp>
#include <tapegrad/framework/npy.hpp>
#include <tapegrad/framework/parameter.hpp>
#include <tapegrad/framework/random_state.hpp>
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/framework/var.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/dropout.hpp>
#include <tapegrad/ops/elementwise_math.hpp>
#include <tapegrad/ops/linear_algebra.hpp>
#include <tapegrad/ops/losses.hpp>
#include <tapegrad/ops/op_table.hpp>
#include <tapegrad/ops/reductions.hpp>
#include <tapegrad/ops/regularization.hpp>
#include <tapegrad/models/course_network.hpp>
#include <tapegrad/models/initializers.hpp>
#include <tapegrad/models/mlp.hpp>
#include <tapegrad/models/training.hpp>
