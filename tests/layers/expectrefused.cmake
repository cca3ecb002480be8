# Builds the probe target ${PROBE} in ${BUILD} and passes only when the compiler refused it for the
# reason given: ${REFUSED} (a header of a higher area) not found, while ${FOUND} (a header of the
# area itself) was.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD} --target ${PROBE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc EQUAL 0)
  message(FATAL_ERROR "${PROBE} compiled: an area below train could include ${REFUSED}; the layers are not kept")
endif()
string(REGEX MATCH "${FOUND}: No such file" wrongReason "${out}")
if(wrongReason)
  message(FATAL_ERROR "${PROBE} failed before the upward include: ${FOUND} was not found\n${out}")
endif()
string(REGEX MATCH "${REFUSED}: No such file or directory" refused "${out}")
if(NOT refused)
  message(FATAL_ERROR "${PROBE} failed, but not for want of ${REFUSED}:\n${out}")
endif()
message(STATUS "refused as it should be: ${REFUSED} is not on the include path of an area below it")
