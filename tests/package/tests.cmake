# The installable program: `cpack -G DEB` builds the .deb, which is unpacked into a scratch root
# (dpkg -x) where maskforge-cli must start; the .desktop and metainfo files must validate. Labelled
# "package" (ctest -L package); it runs cpack on the build, so it goes last (ctest -LE package first).
find_program(MF_DPKG_DEB dpkg-deb)
find_program(MF_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(MF_DPKG_DEB AND MF_DPKG_SHLIBDEPS AND TARGET maskforge-cli)
  add_test(NAME package_deb
           COMMAND ${CMAKE_COMMAND} -DBUILD=${PROJECT_BINARY_DIR} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/package
                   -DCPACK=${CMAKE_CPACK_COMMAND} -P ${CMAKE_CURRENT_LIST_DIR}/deb_smoke.cmake)
  set_tests_properties(package_deb PROPERTIES LABELS package RUN_SERIAL TRUE TIMEOUT 300
                       ENVIRONMENT "OMP_NUM_THREADS=1")
endif()
