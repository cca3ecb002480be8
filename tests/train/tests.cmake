mf_add_gtest(test_losses train/test_losses.cpp)
