# The machine torch runs on: device choice and threads, autocast, CPU features, the CPU allocator cache.
list(APPEND MF_CORE_TORCH_SOURCES machine/device.cpp machine/cpuinfo.cpp machine/cpucache.cpp)
