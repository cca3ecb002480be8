if(TARGET maskforge_ui)
  # Qt Test, offscreen: one executable for the GUI area.
  mf_ui_test(ui ui/test_ui.cpp 120)

  # Not a test: drives the real MainWindow offscreen and saves the screenshots of docs/screenshots.
  add_executable(mf_screenshots ui/screenshots.cpp)
  target_link_libraries(mf_screenshots PRIVATE maskforge_ui)
  set_target_properties(mf_screenshots PROPERTIES EXCLUDE_FROM_ALL ON)

  # Qt Test, offscreen: the annotation workflow (review queue, crash restore, unsaved marker, class palette).
  mf_ui_test(ui_annotation ui/test_annotation.cpp 120)
endif()
include(${CMAKE_CURRENT_LIST_DIR}/studio.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/desktop.cmake)

if(TARGET maskforge_ui)
  # Qt Test, offscreen: workflow states (one review queue, status rules) and the GUI's data safety.
  mf_ui_test(ui_workflow ui/test_workflow.cpp 120)

  # Not a test: screenshots of the review queue and the status menu (workflow-screenshots <sample> <out-dir>, under Xvfb).
  add_executable(workflow-screenshots ui/workflow_screenshots.cpp)
  target_link_libraries(workflow-screenshots PRIVATE maskforge_ui)
  set_target_properties(workflow-screenshots PROPERTIES EXCLUDE_FROM_ALL ON)

  # Qt Test, offscreen: issue 21, a working day without surprises (quitting with a proposal shown, the G
  # tool on an empty cut, tools painting the pixel the status bar names, the batch on many images, the
  # review queue's kept share, File > New project, the layout at 1366x768).
  mf_ui_test(ui_workday ui/test_workday.cpp 300)

  # Not a test: screenshots of the click segmentation tool (click-screenshots <project> <out-dir>, under Xvfb).
  add_executable(click-screenshots ui/click_screenshots.cpp)
  target_link_libraries(click-screenshots PRIVATE maskforge_ui)
  set_target_properties(click-screenshots PROPERTIES EXCLUDE_FROM_ALL ON)
endif()

if(TARGET maskforge_ui)
  # Qt Test, offscreen: the live classifier mode (issue 19): strokes, proposals, accepts, the unhappy order of events.
  mf_ui_test(ui_live ui/test_live.cpp 300)

  # Qt Test, offscreen: issue 18 in the GUI, the batch refinement choosing per class on reviewed images.
  mf_ui_test(ui_batchauto ui/test_batchauto.cpp 300)
  # Qt Test, offscreen: the batch marks images whose boxes won on the reviewed images refined (review/keptboxes.h).
  mf_ui_test(ui_batchkept ui/test_batchkept.cpp 300)

  # Not a test: the batch refinement's per-class scores and choices (batch-screenshots <project> <out.png>, under Xvfb).
  add_executable(batch-screenshots ui/batch_screenshots.cpp)
  target_link_libraries(batch-screenshots PRIVATE maskforge_ui)
  set_target_properties(batch-screenshots PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
if(TARGET maskforge_ui)
  # Not a test: screenshots of the live classifier mode (live-screenshots <project> <truth> <out-dir>, under Xvfb).
  add_executable(live-screenshots ui/live_screenshots.cpp)
  target_link_libraries(live-screenshots PRIVATE maskforge_ui)
  set_target_properties(live-screenshots PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
