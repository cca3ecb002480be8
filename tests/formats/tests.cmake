mf_add_gtest(test_formats formats/test_readers.cpp formats/test_import.cpp formats/test_hygiene.cpp formats/test_importsafety.cpp formats/test_lossless.cpp formats/test_roundtrip.cpp)

# Qt Test, offscreen: File > Import (dialog preview, import into the open project, the result message).
# With MF_SCREENSHOT_DIR set it also saves the dialogs as PNGs there.
if(TARGET maskforge_ui)
  add_executable(test_ui_import formats/test_importdialog.cpp ui/uitesthelpers.cpp ui/uitesthelpers.h)
  set_target_properties(test_ui_import PROPERTIES AUTOMOC ON)
  target_link_libraries(test_ui_import PRIVATE maskforge_ui Qt6::Test)
  add_test(NAME ui_import COMMAND test_ui_import)
  set_tests_properties(ui_import PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=2" TIMEOUT 120)
endif()
