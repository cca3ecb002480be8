# Distributed data-parallel training (branch dist): process groups (c10d Gloo/NCCL), sharding,
# bucketed gradient all-reduce. Debian's libtorch_cpu has the Gloo process group (communicator.cpp
# defines USE_C10D_GLOO, which its header wants); the header includes gloo's (libgloo-dev).
list(APPEND MF_CORE_PLAIN_SOURCES dist/world.cpp dist/launcher.cpp)
list(APPEND MF_CORE_TORCH_SOURCES dist/communicator.cpp dist/gradientsync.cpp dist/dataparallel.cpp)
find_path(MF_GLOO_INCLUDE gloo/context.h)
if(NOT MF_GLOO_INCLUDE)
  message(FATAL_ERROR "gloo's headers (gloo/context.h) not found: install libgloo-dev (scripts/setup.sh does)")
endif()
# NCCL: only on CUDA builds of LibTorch (TorchConfig sets TORCH_CUDA_LIBRARIES only for those), never
# Debian's CPU build. Unverified: no CUDA LibTorch or GPU where this was written.
if(TORCH_CUDA_LIBRARIES)
  find_file(MF_NCCL_HEADER torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp PATHS ${TORCH_INCLUDE_DIRS})
  if(MF_NCCL_HEADER)
    set_property(SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/dist/communicator.cpp APPEND PROPERTY COMPILE_DEFINITIONS MF_DIST_NCCL)
  endif()
endif()
