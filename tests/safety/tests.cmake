# Issue 8 ("Nothing lost"): the data-safety defects' regression tests and the hostile-input net.
mf_add_gtest(test_safety
  safety/test_maskencoding.cpp safety/test_projectfile.cpp safety/test_files.cpp safety/test_training.cpp)
