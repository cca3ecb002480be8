# libFuzzer targets for the annotation importers of core/formats ; each has a seed
# corpus in tests/fuzz/corpus/<name>/. mf_add_fuzzer comes from the fuzz build (helper "safety").
mf_add_fuzzer(labelme ${CMAKE_CURRENT_LIST_DIR}/fuzz_labelme.cpp)
mf_add_fuzzer(coco ${CMAKE_CURRENT_LIST_DIR}/fuzz_coco.cpp)
mf_add_fuzzer(vocxml ${CMAKE_CURRENT_LIST_DIR}/fuzz_vocxml.cpp)
mf_add_fuzzer(cvat ${CMAKE_CURRENT_LIST_DIR}/fuzz_cvat.cpp)
mf_add_fuzzer(yolo ${CMAKE_CURRENT_LIST_DIR}/fuzz_yolo.cpp)
mf_add_fuzzer(rle ${CMAKE_CURRENT_LIST_DIR}/fuzz_rle.cpp)
