// tapegrad::distributed: data-parallel training and the distributed full
// gradient check over MPI (library tapegrad::distributed, built when MPI is
// found). docs/distributed.md explains how to run it and what it costs.
#pragma once

#include <tapegrad/distributed/communicator.hpp>
#include <tapegrad/distributed/distributed_check.hpp>
#include <tapegrad/distributed/errors.hpp>
#include <tapegrad/distributed/gradient_allreduce.hpp>
#include <tapegrad/distributed/parameter_sync.hpp>
#include <tapegrad/distributed/run.hpp>
