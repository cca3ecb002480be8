# Runs one fuzzer for SECONDS from the checked-in SEEDS, new inputs into FOUND; fails on a crash,
# leaving the input under ARTIFACTS (turn it into a file of tests/fuzz/regressions/<name>/).
# With RUNS > 0 the run is reproducible: a fixed seed, RUNS inputs, and a fresh FOUND folder, so CI
# replays exactly the sequence that passed on the developer's machine (SECONDS only caps it; a run
# cut short by the cap explores a prefix of that same sequence). RUNS = 0 fuzzes for SECONDS, for
# hunting new bugs.
if(RUNS GREATER 0)
  file(REMOVE_RECURSE ${FOUND})
  set(budget -runs=${RUNS} -seed=1)
else()
  set(budget)
endif()
file(MAKE_DIRECTORY ${FOUND} ${ARTIFACTS})
execute_process(COMMAND ${FUZZER} ${FOUND} ${SEEDS} ${DICT} ${budget} -max_total_time=${SECONDS} -timeout=10
                        -rss_limit_mb=2560 -artifact_prefix=${ARTIFACTS} -print_final_stats=1
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs "${err}")
message(STATUS "${FUZZER}: ${runs}")
if(NOT rc EQUAL 0)
  string(LENGTH "${err}" n)
  if(n GREATER 6000)
    math(EXPR from "${n} - 6000")
    string(SUBSTRING "${err}" ${from} 6000 err)
  endif()
  message(FATAL_ERROR "${FUZZER} failed (exit ${rc}):\n${err}")
endif()
