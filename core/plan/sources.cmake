# Training plans from a dataset's fingerprint (branch plan): fingerprint, planner, plan YAML,
# step-time probe, validation at native resolution.
list(APPEND MF_CORE_TORCH_SOURCES plan/nativevalidation.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES plan/fingerprint.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES plan/planner.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES plan/speedprobe.cpp)
