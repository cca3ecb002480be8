# Qt Test, offscreen: one executable for the GUI area.
if(TARGET maskforge_ui)
  add_executable(test_ui ui/test_ui.cpp ui/uitesthelpers.cpp ui/uitesthelpers.h)
  set_target_properties(test_ui PROPERTIES AUTOMOC ON)
  target_link_libraries(test_ui PRIVATE maskforge_ui Qt6::Test)
  add_test(NAME ui COMMAND test_ui)
  set_tests_properties(ui PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=2" TIMEOUT 120)
endif()
include(${CMAKE_CURRENT_LIST_DIR}/studio.cmake)
