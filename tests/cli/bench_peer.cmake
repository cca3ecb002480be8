# CI smoke run of the benchmarks: bench --compare-peer on a tiny network (both programs, both
# layouts, one round) and bench --loader on the sample project. Asserts that they run and print
# their tables, nothing about speed.
include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)
run(0 bench --compare-peer --repeats 1 --steps 1 --size 32 --width 4 --depth 2 --batch 2
    --peer-script ${SOURCE}/benchmarks/peer_pytorch.py)
foreach(expected "fp32 limit: [0-9.]+ GFLOP/s measured" "unet +channels_last" "encdec best layouts: train ratio [0-9.]+, infer ratio [0-9.]+")
  if(NOT OUT MATCHES "${expected}")
    message(FATAL_ERROR "bench --compare-peer: no '${expected}' in:\n${OUT}")
  endif()
endforeach()
run(0 make-sample --out ${WORK}/sample --count 6 --size 64)
run(0 bench --loader ${WORK}/sample --size 64 --batch 2 --batches 2 --workers 1)
string(JSON rate ERROR_VARIABLE error GET "${OUT}" img_s)
if(error OR NOT rate GREATER 0)
  message(FATAL_ERROR "bench --loader: no img_s in ${OUT}")
endif()
