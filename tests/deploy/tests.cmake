# Deployment: batch-norm folding, exporters.
mf_add_gtest(test_deploy
  ${CMAKE_CURRENT_LIST_DIR}/test_batchnormfold.cpp
)
