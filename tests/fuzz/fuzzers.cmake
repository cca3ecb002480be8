# mf_add_fuzzer(name source... [CORE core/relative.cpp ...]): a libFuzzer target `name` built from its
# harness source(s), linked with the fuzz core (the torch-free core sources below) plus any extra core
# sources after CORE. Seeds: tests/fuzz/corpus/<name>/ (checked in). Crash regressions:
# tests/fuzz/regressions/<name>/ (every file is run once by the test `<name>_regressions`). Under
# ctest, `<name>` fuzzes from the seeds, writing new inputs to the build folder: MF_FUZZ_RUNS inputs with
# a fixed seed (reproducible, what CI runs) capped at MF_FUZZ_SECONDS, or with MF_FUZZ_RUNS=0 for
# MF_FUZZ_SECONDS (bug hunting; see docs/reliability.md).
set(MF_ROOT ${CMAKE_CURRENT_LIST_DIR}/../..)
set(MF_FUZZ_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1)

if(NOT TARGET mf_fuzz_core)
  add_library(mf_fuzz_core STATIC
    ${MF_ROOT}/core/io/atomicfile.cpp ${MF_ROOT}/core/io/imageio.cpp ${MF_ROOT}/core/io/palettepng.cpp
    ${MF_ROOT}/core/io/imageheader.cpp ${MF_ROOT}/core/io/maskcounts.cpp ${MF_ROOT}/core/project/project.cpp
    ${MF_ROOT}/core/runs/trainconfig.cpp ${MF_ROOT}/core/runs/validateconfig.cpp
    ${MF_ROOT}/core/formats/annotation.cpp ${MF_ROOT}/core/formats/labelme.cpp ${MF_ROOT}/core/formats/coco.cpp
    ${MF_ROOT}/core/formats/xmlformats.cpp ${MF_ROOT}/core/formats/yolo.cpp)
  target_include_directories(mf_fuzz_core PUBLIC ${MF_ROOT}/core)
  target_include_directories(mf_fuzz_core SYSTEM PUBLIC ${OpenCV_INCLUDE_DIRS})
  target_compile_options(mf_fuzz_core PUBLIC ${MF_FUZZ_FLAGS} -fsanitize=fuzzer-no-link)
  target_link_options(mf_fuzz_core PUBLIC -fsanitize=address,undefined)
  target_link_libraries(mf_fuzz_core PUBLIC ${OpenCV_LIBS} nlohmann_json::nlohmann_json yaml-cpp PNG::PNG JPEG::JPEG pugixml::pugixml)
endif()

function(mf_add_fuzzer name)
  cmake_parse_arguments(F "" "" "CORE" ${ARGN})
  set(extra)
  foreach(src ${F_CORE})
    list(APPEND extra ${MF_ROOT}/${src})
  endforeach()
  add_executable(${name} ${F_UNPARSED_ARGUMENTS} ${extra})
  target_link_libraries(${name} PRIVATE mf_fuzz_core)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set(seeds ${CMAKE_CURRENT_LIST_DIR}/corpus/${name})
  set(found ${CMAKE_CURRENT_BINARY_DIR}/found/${name})
  set(dict)
  if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/${name}.dict)
    set(dict -dict=${CMAKE_CURRENT_LIST_DIR}/${name}.dict)
  endif()
  # New inputs go to the build folder; the checked-in seeds are only read.
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
                   ${CMAKE_COMMAND} -DFUZZER=$<TARGET_FILE:${name}> -DFOUND=${found} -DSEEDS=${seeds}
                   -DSECONDS=${MF_FUZZ_SECONDS} -DRUNS=${MF_FUZZ_RUNS} -DARTIFACTS=${CMAKE_CURRENT_BINARY_DIR}/artifacts/${name}/
                   "-DDICT=${dict}" -P ${CMAKE_CURRENT_LIST_DIR}/runfuzzer.cmake)
  set_tests_properties(${name} PROPERTIES TIMEOUT 900 LABELS fuzz)
  file(GLOB regressions ${CMAKE_CURRENT_LIST_DIR}/regressions/${name}/*)
  if(regressions)
    add_test(NAME ${name}_regressions COMMAND ${name} ${regressions})
    set_tests_properties(${name}_regressions PROPERTIES LABELS fuzz)
  endif()
endfunction()

mf_add_fuzzer(fuzz_image_reader ${CMAKE_CURRENT_LIST_DIR}/fuzz_image_reader.cpp)
mf_add_fuzzer(fuzz_palette_png ${CMAKE_CURRENT_LIST_DIR}/fuzz_palette_png.cpp)
mf_add_fuzzer(fuzz_project_file ${CMAKE_CURRENT_LIST_DIR}/fuzz_project_file.cpp)
mf_add_fuzzer(fuzz_train_config ${CMAKE_CURRENT_LIST_DIR}/fuzz_train_config.cpp)
mf_add_fuzzer(fuzz_yolo_boxes ${CMAKE_CURRENT_LIST_DIR}/fuzz_box_importers.cpp CORE core/edit/boximport.cpp)
target_compile_definitions(fuzz_yolo_boxes PRIVATE MF_FUZZ_YOLO)
mf_add_fuzzer(fuzz_voc_boxes ${CMAKE_CURRENT_LIST_DIR}/fuzz_box_importers.cpp CORE core/edit/boximport.cpp)
target_compile_definitions(fuzz_voc_boxes PRIVATE MF_FUZZ_VOC)
mf_add_fuzzer(fuzz_coco_boxes ${CMAKE_CURRENT_LIST_DIR}/fuzz_box_importers.cpp CORE core/edit/boximport.cpp)
target_compile_definitions(fuzz_coco_boxes PRIVATE MF_FUZZ_COCO)

# Fuzzers for the importers of branch formats (same function).
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/fuzz_formats.cmake)
  include(${CMAKE_CURRENT_LIST_DIR}/fuzz_formats.cmake)
endif()
