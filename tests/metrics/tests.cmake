mf_add_gtest(test_metrics metrics/test_metrics.cpp)
mf_add_gtest(test_rand metrics/test_rand.cpp)
