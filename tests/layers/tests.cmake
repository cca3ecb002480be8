# The layers of core (core/CMakeLists.txt, docs/architecture.md). core_layers: every include that
# crosses areas goes down to an area the including one links (scripts/check-layers.sh).
add_test(NAME core_layers COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-layers.sh)
# core_layers_enforced: the compiler keeps them. A file compiled as part of the infer area (its include
# path) that includes train/trainer.h must fail to compile, for that include.
add_library(mf_layer_probe OBJECT EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/upward_include.cpp)
get_target_property(mf_infer_includes maskforge_core_infer INCLUDE_DIRECTORIES)
target_include_directories(mf_layer_probe PRIVATE ${mf_infer_includes})
target_link_libraries(mf_layer_probe PRIVATE maskforge_core_infer)
add_test(NAME core_layers_enforced
         COMMAND ${CMAKE_COMMAND} -DBUILD=${PROJECT_BINARY_DIR} -DPROBE=mf_layer_probe
                 -DFOUND=infer/predictor.h -DREFUSED=train/trainer.h -P ${CMAKE_CURRENT_LIST_DIR}/expectrefused.cmake)
set_tests_properties(core_layers_enforced PROPERTIES TIMEOUT 120)
