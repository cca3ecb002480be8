# Benchmarks of this machine: training and inference step times (maskforge-cli bench, the planner's
# speed probe) and the Python peer comparison.
list(APPEND MF_CORE_TORCH_SOURCES bench/bench.cpp bench/peerbench.cpp)
