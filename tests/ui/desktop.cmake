# Qt Test, offscreen: the desktop around the canvas (fits 1366x768 and 1920x1080, remembers,
# tool bar, icons, Help menu) and the on-screen defects fixed with it.
if(TARGET maskforge_ui)
  add_executable(test_ui_desktop ${CMAKE_CURRENT_LIST_DIR}/test_desktop.cpp)
  set_target_properties(test_ui_desktop PROPERTIES AUTOMOC ON)
  target_link_libraries(test_ui_desktop PRIVATE mf_uitesthelpers maskforge_ui Qt6::Test)
  add_test(NAME ui_desktop COMMAND test_ui_desktop)
  set_tests_properties(ui_desktop PROPERTIES TIMEOUT 180
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=2;OMP_WAIT_POLICY=PASSIVE")
endif()

# README screenshots of the whole window (not a test): xvfb-run -s "-screen 0 1366x768x24"
#   build/tests/desktop-screenshots <sample> docs/screenshots/desktop-1366x768.png
if(TARGET maskforge_ui)
  add_executable(desktop-screenshots ${CMAKE_CURRENT_LIST_DIR}/desktop_screenshots.cpp)
  target_link_libraries(desktop-screenshots PRIVATE maskforge_ui)
  set_target_properties(desktop-screenshots PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
