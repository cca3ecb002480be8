mf_add_gtest(test_edit
  edit/test_maskpainter.cpp edit/test_floodfill.cpp edit/test_maskeditor.cpp
  edit/test_boximport.cpp edit/test_boxrefiner.cpp edit/test_boxreplace.cpp)
