# Networks: reference architectures, factory, torchvision encoders (parity via /usr/bin/python3).
mf_add_gtest(test_models
  ${CMAKE_CURRENT_LIST_DIR}/singlethread.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_unet.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_unetplusplus.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_modelfactory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_torchvisionparity.cpp
)
