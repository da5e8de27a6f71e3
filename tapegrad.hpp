// tapegrad: tape-based reverse-mode automatic differentiation over xtensor.
// Include this one header to get the engine, every op, the models and the
// gradient checker (library tapegrad::tapegrad). Data sets and file formats are
// in <tapegrad/data.hpp> (library tapegrad::data).
#pragma once

#include <tapegrad/framework/backward_context.hpp>
#include <tapegrad/framework/blas_kernel.hpp>
#include <tapegrad/framework/forward_context.hpp>
#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/gradient_check.hpp>
#include <tapegrad/framework/gradient_report.hpp>
#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/op.hpp>
#include <tapegrad/framework/op_check.hpp>
#include <tapegrad/framework/parameter.hpp>
#include <tapegrad/framework/random_state.hpp>
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/framework/tape_audit.hpp>
#include <tapegrad/framework/var.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/builtin_ops.hpp>
#include <tapegrad/ops/dropout.hpp>
#include <tapegrad/ops/elementwise_math.hpp>
#include <tapegrad/ops/linear_algebra.hpp>
#include <tapegrad/ops/losses.hpp>
#include <tapegrad/ops/math_mode.hpp>
#include <tapegrad/ops/reductions.hpp>
#include <tapegrad/ops/regularization.hpp>
#include <tapegrad/ops/shaping.hpp>
#include <tapegrad/ops/softmax.hpp>
#include <tapegrad/models/adam.hpp>
#include <tapegrad/models/gradient_descent.hpp>
#include <tapegrad/models/initializers.hpp>
#include <tapegrad/models/learning_rate_schedule.hpp>
#include <tapegrad/models/mini_batches.hpp>
#include <tapegrad/models/mlp.hpp>
#include <tapegrad/models/mlp_training.hpp>
#include <tapegrad/models/momentum.hpp>
#include <tapegrad/models/named_matrices.hpp>
#include <tapegrad/models/optimizer.hpp>
#include <tapegrad/models/progress_line.hpp>
#include <tapegrad/models/rmsprop.hpp>
#include <tapegrad/models/training.hpp>
