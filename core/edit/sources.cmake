list(APPEND MF_CORE_PLAIN_SOURCES edit/maskpainter.cpp edit/floodfill.cpp edit/maskdiff.cpp edit/maskeditor.cpp
     edit/boxrefiner.cpp edit/boximport.cpp edit/boximportproject.cpp edit/boxreplace.cpp)
