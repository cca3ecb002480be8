# Flags shared by every MaskForge target, carried by an INTERFACE target rather than global flags.
add_library(maskforge_options INTERFACE)
target_compile_features(maskforge_options INTERFACE cxx_std_17)
target_compile_definitions(maskforge_options INTERFACE QT_NO_KEYWORDS)
target_compile_options(maskforge_options INTERFACE -Wall -Wextra -Wshadow=local -Wnon-virtual-dtor)
if(MF_WERROR)
  target_compile_options(maskforge_options INTERFACE -Werror)
endif()
if(MF_SANITIZE)
  target_compile_options(maskforge_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(maskforge_options INTERFACE -fsanitize=address,undefined)
endif()

# OpenCV's config exports plain include paths; mark them SYSTEM so its headers never trip -Werror.
add_library(maskforge_opencv INTERFACE)
target_include_directories(maskforge_opencv SYSTEM INTERFACE ${OpenCV_INCLUDE_DIRS})
target_link_libraries(maskforge_opencv INTERFACE ${OpenCV_LIBS})
