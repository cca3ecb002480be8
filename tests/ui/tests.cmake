# Qt Test, offscreen: one executable for the GUI area.
if(TARGET maskforge_ui)
  add_executable(test_ui ui/test_ui.cpp ui/uitesthelpers.cpp ui/uitesthelpers.h)
  set_target_properties(test_ui PROPERTIES AUTOMOC ON)
  target_link_libraries(test_ui PRIVATE maskforge_ui Qt6::Test)
  add_test(NAME ui COMMAND test_ui)
  set_tests_properties(ui PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=2" TIMEOUT 120)
endif()

# Not a test: drives the real MainWindow offscreen and saves the screenshots of docs/screenshots.
if(TARGET maskforge_ui)
  add_executable(mf_screenshots ui/screenshots.cpp)
  target_link_libraries(mf_screenshots PRIVATE maskforge_ui)
endif()

# Qt Test, offscreen: the annotation workflow (review queue, crash restore, unsaved marker, class palette).
if(TARGET maskforge_ui)
  add_executable(test_ui_annotation ui/test_annotation.cpp ui/uitesthelpers.cpp ui/uitesthelpers.h)
  set_target_properties(test_ui_annotation PROPERTIES AUTOMOC ON)
  target_link_libraries(test_ui_annotation PRIVATE maskforge_ui Qt6::Test)
  add_test(NAME ui_annotation COMMAND test_ui_annotation)
  set_tests_properties(ui_annotation PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=2" TIMEOUT 120)
endif()
include(${CMAKE_CURRENT_LIST_DIR}/studio.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/desktop.cmake)

# Qt Test, offscreen: workflow states (one review queue, status rules) and the GUI's data safety.
if(TARGET maskforge_ui)
  add_executable(test_ui_workflow ui/test_workflow.cpp ui/uitesthelpers.cpp ui/uitesthelpers.h)
  set_target_properties(test_ui_workflow PROPERTIES AUTOMOC ON)
  target_link_libraries(test_ui_workflow PRIVATE maskforge_ui Qt6::Test)
  add_test(NAME ui_workflow COMMAND test_ui_workflow)
  set_tests_properties(ui_workflow PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=2" TIMEOUT 120)
endif()

# Not a test: screenshots of the review queue and the status menu (workflow-screenshots <sample> <out-dir>, under Xvfb).
if(TARGET maskforge_ui)
  add_executable(workflow-screenshots ui/workflow_screenshots.cpp)
  target_link_libraries(workflow-screenshots PRIVATE maskforge_ui)
  set_target_properties(workflow-screenshots PROPERTIES EXCLUDE_FROM_ALL ON)
endif()

# Qt Test, offscreen: issue 21, a working day without surprises (quitting with a proposal shown, the G
# tool on an empty cut, tools painting the pixel the status bar names, the batch on many images, the
# review queue's kept share, File > New project, the layout at 1366x768).
if(TARGET maskforge_ui)
  add_executable(test_ui_workday ui/test_workday.cpp ui/uitesthelpers.cpp ui/uitesthelpers.h)
  set_target_properties(test_ui_workday PROPERTIES AUTOMOC ON)
  target_link_libraries(test_ui_workday PRIVATE maskforge_ui Qt6::Test)
  add_test(NAME ui_workday COMMAND test_ui_workday)
  set_tests_properties(ui_workday PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=2" TIMEOUT 300)
endif()

# Not a test: screenshots of the click segmentation tool (click-screenshots <project> <out-dir>, under Xvfb).
if(TARGET maskforge_ui)
  add_executable(click-screenshots ui/click_screenshots.cpp)
  target_link_libraries(click-screenshots PRIVATE maskforge_ui)
  set_target_properties(click-screenshots PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
