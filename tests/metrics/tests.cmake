mf_add_gtest(test_metrics metrics/test_metrics.cpp)
