mf_add_gtest(test_formats formats/test_readers.cpp formats/test_import.cpp formats/test_hygiene.cpp formats/test_importsafety.cpp formats/test_lossless.cpp formats/test_roundtrip.cpp)

# Qt Test, offscreen: File > Import (dialog preview, import into the open project, the result message).
# With MF_SCREENSHOT_DIR set it also saves the dialogs as PNGs there.
if(TARGET maskforge_ui)
  mf_ui_test(ui_import formats/test_importdialog.cpp 120)
endif()
