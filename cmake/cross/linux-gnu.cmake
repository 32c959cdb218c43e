# The shared part of cmake/cross/<triple>.cmake, which sets
# EVERYPC_CROSS_TRIPLE first: compiler <triple>-gcc, pkg-config reading only
# /usr/lib/<triple>/pkgconfig (and the arch-independent /usr/share/pkgconfig),
# so that no library of the build machine's arch is picked up.
set(CMAKE_SYSTEM_NAME Linux)
string(REGEX REPLACE "-.*" "" CMAKE_SYSTEM_PROCESSOR "${EVERYPC_CROSS_TRIPLE}")
set(CMAKE_C_COMPILER ${EVERYPC_CROSS_TRIPLE}-gcc)
set(ENV{PKG_CONFIG_LIBDIR}
  /usr/lib/${EVERYPC_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
