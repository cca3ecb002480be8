list(APPEND MF_CORE_PLAIN_SOURCES metrics/metrics.cpp metrics/rand.cpp metrics/report.cpp)
