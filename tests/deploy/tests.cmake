# Deployment: batch-norm folding, exporters.
mf_add_gtest(test_deploy
  ${CMAKE_CURRENT_LIST_DIR}/test_batchnormfold.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_onnxexport.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_checkpointpython.cpp
  ${CMAKE_CURRENT_LIST_DIR}/timing_onnxengines.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../models/singlethread.cpp
)
target_link_libraries(test_deploy PRIVATE mf_onnx)

# The ONNX metadata checks (issue 20, item 11): torch-free, so it stays a small executable of its own.
mf_add_gtest(test_deploy_metadata ${CMAKE_CURRENT_LIST_DIR}/test_onnxmetadata.cpp)
target_link_libraries(test_deploy_metadata PRIVATE mf_onnx)
