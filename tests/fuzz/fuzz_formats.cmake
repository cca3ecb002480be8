# libFuzzer targets for the annotation importers of core/formats (paths relative to tests/); each has a seed
# corpus in tests/fuzz/corpus/<name>/. mf_add_fuzzer comes from the fuzz build (helper "safety").
mf_add_fuzzer(labelme fuzz/fuzz_labelme.cpp)
mf_add_fuzzer(coco fuzz/fuzz_coco.cpp)
mf_add_fuzzer(vocxml fuzz/fuzz_vocxml.cpp)
mf_add_fuzzer(cvat fuzz/fuzz_cvat.cpp)
mf_add_fuzzer(yolo fuzz/fuzz_yolo.cpp)
mf_add_fuzzer(rle fuzz/fuzz_rle.cpp)
