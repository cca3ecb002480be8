list(APPEND MF_CORE_PLAIN_SOURCES formats/annotation.cpp formats/labelme.cpp formats/coco.cpp formats/xmlformats.cpp
     formats/yolo.cpp formats/formatimport.cpp formats/formatexport.cpp
     formats/hygiene.cpp)
