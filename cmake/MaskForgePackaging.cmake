# `cpack -G DEB` in the build folder: a Debian package of what `cmake --install` puts in place.
# Its dependencies are computed by dpkg-shlibdeps from the libraries the binaries link (Qt, LibTorch,
# OpenCV, yaml-cpp, libpng...), plus the Qt plugins loaded at run time, which no binary links.
set(CPACK_PACKAGE_NAME maskforge)
set(CPACK_PACKAGE_VENDOR "MaskForge")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Segmentation mask editor and model studio")
set(CPACK_PACKAGE_DESCRIPTION "Paint, fix and review segmentation masks (boxes to coarse masks, GrabCut\n\
refinement, brush and polygon tools, a review queue), then train U-Net and\n\
encoder-decoder networks with LibTorch and compare their runs.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "MaskForge developers <maskforge@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(MF_BUILD_GUI)
  # Loaded as plugins, so dpkg-shlibdeps cannot see them: the xcb/wayland platforms and SVG icons.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6svg6")
endif()
set(CPACK_GENERATOR DEB)
include(CPack)
