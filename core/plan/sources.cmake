# Training plans from a dataset's fingerprint (branch plan): fingerprint, planner, plan YAML,
# step-time probe.
list(APPEND MF_CORE_PLAIN_SOURCES plan/fingerprint.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES plan/planner.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES plan/speedprobe.cpp)
