list(APPEND MF_CORE_PLAIN_SOURCES io/atomicfile.cpp io/imageio.cpp io/maskcounts.cpp io/palettepng.cpp io/imageheader.cpp io/maskfolder.cpp)
