# Shared by the CLI scripts that check "nothing written": include after run.cmake.
# snapshot(<var> <dir>): "relative-path sha256" of every file under dir, one per line.
function(snapshot var dir)
  file(GLOB_RECURSE files RELATIVE ${dir} ${dir}/*)
  list(SORT files)
  set(s "")
  foreach(f ${files})
    file(SHA256 ${dir}/${f} h)
    string(APPEND s "${f} ${h}\n")
  endforeach()
  set(${var} "${s}" PARENT_SCOPE)
endfunction()
# expect_unchanged(<snapshot> <dir> <what>): fails naming <what> when any file under dir differs from the snapshot.
function(expect_unchanged before dir what)
  snapshot(after ${dir})
  if(NOT before STREQUAL after)
    message(FATAL_ERROR "${what} changed files under ${dir}:\nbefore:\n${before}\nafter:\n${after}")
  endif()
endfunction()
