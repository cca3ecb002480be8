mf_add_gtest(test_trainconfig train/test_trainconfig.cpp)
mf_add_gtest(test_predictor train/test_predictor.cpp)
mf_add_gtest(test_trainer train/test_trainer.cpp)

mf_add_gtest(test_losses train/test_losses.cpp)
mf_add_gtest(test_boxlosses train/test_boxlosses.cpp)
mf_add_gtest(test_augment train/test_augment.cpp)
# Only the areas it uses: the ThreadSanitizer stage builds this test alone (scripts/test.sh).
mf_add_gtest(test_loader train/test_loader.cpp CORE train sample)
mf_add_gtest(test_runs train/test_runs.cpp)
mf_add_gtest(test_fastinfer train/test_fastinfer.cpp)
mf_add_gtest(test_calibration train/test_calibration.cpp)
