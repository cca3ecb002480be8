# CLI smoke tests: the commands a new user types, run end to end.
set(MF_CLI $<TARGET_FILE:maskforge-cli>)
set(MF_CLI_TMP ${CMAKE_CURRENT_BINARY_DIR}/cli-tmp)
add_test(NAME cli_help COMMAND ${MF_CLI} --help)
add_test(NAME cli_make_sample COMMAND ${MF_CLI} make-sample --out ${MF_CLI_TMP}/sample --count 16 --size 64 --seed 3)
set_tests_properties(cli_make_sample PROPERTIES FIXTURES_SETUP cli_sample)
add_test(NAME cli_validate_clean COMMAND ${MF_CLI} validate ${MF_CLI_TMP}/sample)
set_tests_properties(cli_validate_clean PROPERTIES FIXTURES_REQUIRED cli_sample PASS_REGULAR_EXPRESSION "no problems found")
add_test(NAME cli_validate_problems COMMAND ${CMAKE_COMMAND} -DCLI=${MF_CLI} -DDIR=${MF_CLI_TMP}/broken
         -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/validate_problems.cmake)
add_test(NAME cli_score_json COMMAND ${MF_CLI} score --truth ${MF_CLI_TMP}/sample/masks --pred ${MF_CLI_TMP}/sample/coarse --json)
set_tests_properties(cli_score_json PROPERTIES FIXTURES_REQUIRED cli_sample
                     PASS_REGULAR_EXPRESSION "\"miou_no_background\":0\\.[0-9]+.*\"pixel_accuracy\"")
add_test(NAME cli_score_identical COMMAND ${MF_CLI} score --truth ${MF_CLI_TMP}/sample/masks --pred ${MF_CLI_TMP}/sample/masks)
set_tests_properties(cli_score_identical PROPERTIES FIXTURES_REQUIRED cli_sample
                     PASS_REGULAR_EXPRESSION "mIoU \\(no background\\) +1\\.0000")
add_test(NAME cli_bad_command COMMAND ${MF_CLI} no-such-command)
set_tests_properties(cli_bad_command PROPERTIES WILL_FAIL TRUE)

# Training engine (branch train): tiny train -> predict -> evaluate -> score, bench JSON, config errors.
foreach(script train_smoke bench_json config_errors refine_cli refine_methods)
  add_test(NAME cli_${script}
           COMMAND ${CMAKE_COMMAND} -DCLI=${MF_CLI} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/cli_${script}
                   -DSOURCE=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/${script}.cmake)
  # 600 s: a hang still ends the test; the refine scripts took over 120 s under ASan on a loaded 2-core machine.
  set_tests_properties(cli_${script} PROPERTIES ENVIRONMENT "OMP_NUM_THREADS=1"
                       ENVIRONMENT_MODIFICATION "OMP_WAIT_POLICY=set:PASSIVE" TIMEOUT 600)
endforeach()
add_test(NAME cli_help_lists_training COMMAND ${MF_CLI} --help)
set_tests_properties(cli_help_lists_training PROPERTIES PASS_REGULAR_EXPRESSION "train.*predict.*compare.*bench")

# Benchmarks smoke run (branch perf): needs the Python peer's torch (Debian's python3-torch).
execute_process(COMMAND /usr/bin/python3 -c "import torch" RESULT_VARIABLE mf_python_torch OUTPUT_QUIET ERROR_QUIET)
if(mf_python_torch EQUAL 0)
  add_test(NAME cli_bench_peer
           COMMAND ${CMAKE_COMMAND} -DCLI=${MF_CLI} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/cli_bench_peer
                   -DSOURCE=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/bench_peer.cmake)
  set_tests_properties(cli_bench_peer PROPERTIES ENVIRONMENT "OMP_NUM_THREADS=1" TIMEOUT 300)
endif()
add_test(NAME cli_help_lists_live_predict COMMAND ${MF_CLI} --help)
set_tests_properties(cli_help_lists_live_predict PROPERTIES PASS_REGULAR_EXPRESSION "live-predict")
