# Flags shared by every MaskForge target, carried by an INTERFACE target rather than global flags.
add_library(maskforge_options INTERFACE)
target_compile_features(maskforge_options INTERFACE cxx_std_17)
target_compile_definitions(maskforge_options INTERFACE QT_NO_KEYWORDS)
target_compile_options(maskforge_options INTERFACE -Wall -Wextra -Wshadow=local -Wnon-virtual-dtor)
if(MF_WERROR)
  target_compile_options(maskforge_options INTERFACE -Werror)
endif()
if(MF_SANITIZE)
  # MaskForge's own code (core, CLI, GUI) is instrumented; test executables set MF_UNINSTRUMENTED (see
  # mf_add_gtest): their code is the harness, not the product, and compiled 2.7x slower under ASan+UBSan
  # (a GoogleTest file: 9.3 s against 3.5 s of CPU). They still link the sanitizer runtimes, so every call
  # into the core is checked. Of UBSan's checks, three that ASan covers or that cost far more to compile
  # than they find are left out: null (a null dereference is a SEGV that ASan reports with its stack),
  # object-size (ASan's redzones find the same out-of-bounds accesses at run time) and pointer-overflow
  # (together: project.cpp 16.8 -> 13.4 s of CPU). docs/reliability.md has the measurements.
  set(mf_instrument "$<NOT:$<BOOL:$<TARGET_PROPERTY:MF_UNINSTRUMENTED>>>")
  target_compile_options(maskforge_options INTERFACE
    "$<${mf_instrument}:-fsanitize=address,undefined;-fno-sanitize=null,object-size,pointer-overflow>"
    -fno-omit-frame-pointer)
  target_link_options(maskforge_options INTERFACE -fsanitize=address,undefined)
endif()
if(MF_TSAN)
  target_compile_options(maskforge_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(maskforge_options INTERFACE -fsanitize=thread)
endif()

# OpenCV's config exports plain include paths; mark them SYSTEM so its headers never trip -Werror.
add_library(maskforge_opencv INTERFACE)
target_include_directories(maskforge_opencv SYSTEM INTERFACE ${OpenCV_INCLUDE_DIRS})
target_link_libraries(maskforge_opencv INTERFACE ${OpenCV_LIBS})
