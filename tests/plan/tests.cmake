# Training plans (branch plan): plan decisions on synthetic fingerprints, the fingerprint, and the
# training pieces plans use (native crops, repeats, present-class mIoU, native validation, tiles as trained).
mf_add_gtest(test_planner plan/test_planner.cpp)
mf_add_gtest(test_plantrain plan/test_plantrain.cpp)
