
list(APPEND MF_CORE_TORCH_SOURCES train/losses.cpp)
