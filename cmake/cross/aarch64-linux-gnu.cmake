# Cross-building the rig for an arm64 host on a Debian/Ubuntu machine of
# another arch: the GNU cross compiler (gcc-aarch64-linux-gnu) and the
# libraries of Debian's arm64 multiarch packages (libdw-dev:arm64 ...,
# installed by ci/foreign-host.sh install), found by pkg-config in their
# multiarch directory. Use with -DEVERYPC_RIG_ONLY=ON -DEVERYPC_STATIC=ON
# (cmake/EverypcForeignHost.cmake).
set(EVERYPC_CROSS_TRIPLE aarch64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/linux-gnu.cmake)
